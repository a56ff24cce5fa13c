package dev.duet.planner.exec.plan;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.planner.exec.ops.LimitOperator;
import dev.duet.planner.exec.ops.LimitSpec;
import dev.duet.planner.exec.ops.SortKey;
import dev.duet.planner.exec.ops.SortOperator;
import dev.duet.planner.exec.ops.SortSpec;
import dev.duet.planner.exec.ops.TopNOperator;
import dev.duet.planner.exec.ops.TopNSpec;
import dev.duet.rowstore.Transaction;
import java.util.List;
import java.util.Objects;

/**
 * {@code ORDER BY keys LIMIT limit OFFSET offset}, any part optional (but not all). Which
 * operator runs is decided per execution, once parameters are known: keys with a limit → a
 * {@link TopNOperator}; keys without → a {@link SortOperator} (then a {@link LimitOperator} for an
 * offset); no keys → a {@link LimitOperator}.
 */
public final class SortNode implements PlanNode {
    private final PlanNode input;
    private final List<SortKey> keys;
    private final LimitBound limit;
    private final LimitBound offset;

    /** @param keys the ORDER BY keys over the input's columns; empty for LIMIT/OFFSET alone */
    public SortNode(PlanNode input, List<SortKey> keys, LimitBound limit, LimitBound offset) {
        this.input = Objects.requireNonNull(input, "input is null");
        this.keys = List.copyOf(keys);
        this.limit = Objects.requireNonNull(limit, "limit is null");
        this.offset = Objects.requireNonNull(offset, "offset is null");
    }

    public List<SortKey> keys() {
        return keys;
    }

    @Override
    public List<BatchColumn> columns() {
        return input.columns();
    }

    @Override
    public List<PlanNode> inputs() {
        return List.of(input);
    }

    @Override
    public PlanNode withInputs(List<PlanNode> inputs) {
        return new SortNode(inputs.get(0), keys, limit, offset);
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder(keys.isEmpty() ? "Limit(" : limit.isNone() ? "Sort(" : "TopN(");
        String sep = "";
        if (!keys.isEmpty()) {
            sb.append("order=").append(keys);
            sep = ", ";
        }
        if (!limit.isNone()) {
            sb.append(sep).append("limit=").append(limit);
            sep = ", ";
        }
        if (!offset.isNone()) {
            sb.append(sep).append("offset=").append(offset);
        }
        return sb.append(')').toString();
    }

    @Override
    public Operator createOperator(QueryContext context, Transaction transaction) {
        long n = limit.value(context);
        long skip = offset.value(context);
        return PlanNode.createOver(inputs(), context, transaction, in -> {
            Operator op = in.get(0);
            if (keys.isEmpty()) {
                return new LimitOperator(context, op, new LimitSpec(n, skip));
            }
            if (n != LimitBound.ALL) {
                return new TopNOperator(context, op, new TopNSpec(keys, n, skip));
            }
            Operator sorted = new SortOperator(context, op, new SortSpec(keys));
            if (skip == 0) {
                return sorted;
            }
            try {
                return new LimitOperator(context, sorted, new LimitSpec(LimitSpec.ALL, skip));
            } catch (RuntimeException e) {
                sorted.close();
                throw e;
            }
        });
    }
}
