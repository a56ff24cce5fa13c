package dev.duet.planner.exec.expr;

import dev.duet.core.exec.BatchColumn;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;

/**
 * The subexpressions that several projections of one Project compute, computed once per batch:
 * TPC-H Q1's {@code l_extendedprice * (1 - l_discount)} is a column of its own and a factor of
 * {@code l_extendedprice * (1 - l_discount) * (1 + l_tax)}. Each call occurring at least twice
 * where it is always evaluated becomes a <em>shared</em> column appended after the input's
 * ({@code $n}, {@code $n+1} ... for an input of {@code n} columns), smaller ones first; the
 * projections, and the larger shared expressions, read those columns instead of computing them
 * again.
 *
 * <p>Only occurrences that are evaluated for every row count: the operands of CASE, AND, OR,
 * COALESCE, NULLIF and IS [NOT] DISTINCT FROM may be skipped row by row, so a call found only
 * there is left alone (computing it for every row could raise an error the query never asks
 * for, such as a division by zero). Non-deterministic calls are never shared.
 */
public final class CommonSubexpressions {
    private final List<BatchColumn> columns;
    private final List<CompiledExpression> shared;
    private final List<CompiledExpression> projections;

    private CommonSubexpressions(List<BatchColumn> columns, List<CompiledExpression> shared, List<CompiledExpression> projections) {
        this.columns = List.copyOf(columns);
        this.shared = List.copyOf(shared);
        this.projections = List.copyOf(projections);
    }

    /** Finds the common subexpressions of {@code projections}, compiled over {@code input}. */
    public static CommonSubexpressions of(List<CompiledExpression> projections, List<BatchColumn> input) {
        Objects.requireNonNull(projections, "projections is null");
        Objects.requireNonNull(input, "input is null");
        Map<RexNode, Integer> counts = new LinkedHashMap<>();
        for (CompiledExpression p : projections) {
            count(p.source(), counts);
        }
        List<RexNode> found = new ArrayList<>();
        counts.forEach((e, n) -> {
            if (n >= 2) {
                found.add(e);
            }
        });
        if (found.isEmpty()) {
            return new CommonSubexpressions(input, List.of(), projections);
        }
        // a shared expression only reads shared columns of smaller ones, computed before it
        found.sort(Comparator.comparingInt(CommonSubexpressions::size));
        List<BatchColumn> columns = new ArrayList<>(input);
        List<CompiledExpression> shared = new ArrayList<>();
        for (int k = 0; k < found.size(); k++) {
            RexNode e = rewrite(found.get(k), found, k, input.size());
            CompiledExpression c = ExpressionCompiler.compile(e, columns);
            shared.add(c);
            columns.add(new BatchColumn("$cse" + k, c.type(), c.nullable()));
        }
        List<CompiledExpression> rewritten = new ArrayList<>();
        for (CompiledExpression p : projections) {
            RexNode e = rewrite(p.source(), found, found.size(), input.size());
            rewritten.add(e.equals(p.source()) ? p : ExpressionCompiler.compile(e, columns));
        }
        return new CommonSubexpressions(columns, shared, rewritten);
    }

    /** The input's columns followed by the shared ones. */
    public List<BatchColumn> columns() {
        return columns;
    }

    /**
     * The shared expressions, over {@link #columns()}: the {@code k}-th computes column
     * {@code input size + k} and reads only input columns and shared columns before it.
     */
    public List<CompiledExpression> shared() {
        return shared;
    }

    /** The projections, over {@link #columns()}: the given ones where they share nothing. */
    public List<CompiledExpression> projections() {
        return projections;
    }

    private static void count(RexNode e, Map<RexNode, Integer> counts) {
        if (!(e instanceof RexCall call) || !RexUtil.isDeterministic(call)) {
            return;
        }
        counts.merge(call, 1, Integer::sum);
        switch (call.getKind()) {
            case CASE, AND, OR, COALESCE, NULLIF, IS_DISTINCT_FROM, IS_NOT_DISTINCT_FROM -> {
                return; // operands evaluated only for some rows
            }
            default -> {
                for (RexNode o : call.getOperands()) {
                    count(o, counts);
                }
            }
        }
    }

    private static int size(RexNode e) {
        int n = 1;
        if (e instanceof RexCall call) {
            for (RexNode o : call.getOperands()) {
                n += size(o);
            }
        }
        return n;
    }

    /** {@code e} with every occurrence of {@code found[0..upTo)} replaced by a reference to its column. */
    private static RexNode rewrite(RexNode e, List<RexNode> found, int upTo, int inputSize) {
        return e.accept(new RexShuttle() {
            @Override
            public RexNode visitCall(RexCall call) {
                int k = found.indexOf(call);
                if (k >= 0 && k < upTo) {
                    return new RexInputRef(inputSize + k, call.getType());
                }
                return super.visitCall(call);
            }
        });
    }
}
