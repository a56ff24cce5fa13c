package dev.duet.planner.exec.ops;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.planner.exec.expr.CompiledExpression;
import dev.duet.planner.exec.expr.VectorEvaluator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Computes one output column per expression from each input batch, optionally keeping only the
 * rows for which a filter predicate is TRUE first (a filter fused below the projection, so that
 * columns only the filter reads are never copied). A column that is a plain reference to an
 * input column is passed through as the input's own vector when no row was dropped; computed
 * columns live in the expressions' evaluators, reused across batches. Batches where the filter
 * drops every row are skipped.
 */
public final class ProjectOperator implements Operator {
    private final QueryContext context;
    private final Operator input;
    private final List<BatchColumn> columns;
    private final List<Field> fields;
    private final VectorEvaluator filter;
    private final List<VectorEvaluator> evaluators;
    /** Projections that repeat an input column already passed through: always copied. */
    private final boolean[] copy;
    private final Selection selection = new Selection();
    private int[] identity = new int[0];
    private boolean done;
    private boolean closed;

    /**
     * @param names output column names, one per projection
     * @param filter a BOOLEAN predicate over the input evaluated before the projections, or null
     */
    public ProjectOperator(QueryContext context, Operator input, List<CompiledExpression> projections, List<String> names,
            CompiledExpression filter) {
        this.context = Objects.requireNonNull(context, "context is null");
        this.input = Objects.requireNonNull(input, "input is null");
        Objects.requireNonNull(projections, "projections is null");
        if (names.size() != projections.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + projections.size() + " projections");
        }
        if (filter != null && filter.type().kind() != DataType.Kind.BOOLEAN) {
            throw new IllegalArgumentException("filter predicate is of type " + filter.type());
        }
        List<BatchColumn> cols = new ArrayList<>();
        List<Field> f = new ArrayList<>();
        this.copy = new boolean[projections.size()];
        Set<Integer> passed = new HashSet<>();
        for (int i = 0; i < projections.size(); i++) {
            CompiledExpression e = projections.get(i);
            BatchColumn c = new BatchColumn(names.get(i), e.type(), e.nullable());
            cols.add(c);
            f.add(c.field());
            copy[i] = e.inputIndex() >= 0 && !passed.add(e.inputIndex());
        }
        this.columns = List.copyOf(cols);
        this.fields = List.copyOf(f);
        List<VectorEvaluator> opened = new ArrayList<>();
        VectorEvaluator p = null;
        try {
            if (filter != null) {
                p = filter.open(context);
            }
            for (CompiledExpression e : projections) {
                opened.add(e.open(context));
            }
        } catch (RuntimeException e) {
            if (p != null) {
                p.close();
            }
            opened.forEach(VectorEvaluator::close);
            throw e;
        }
        this.filter = p;
        this.evaluators = List.copyOf(opened);
    }

    @Override
    public List<BatchColumn> columns() {
        return columns;
    }

    @Override
    public VectorSchemaRoot next() {
        if (closed) {
            throw new IllegalStateException("project is closed");
        }
        while (!done) {
            context.checkCancelled();
            VectorSchemaRoot batch = input.next();
            if (batch == null) {
                done = true;
                release();
                return null;
            }
            int n = batch.getRowCount();
            int[] rows = null;
            int count = n;
            if (filter != null) {
                count = selection.select(filter.evaluate(batch, null, n), n, null);
                if (count == 0) {
                    continue;
                }
                if (count < n) {
                    rows = selection.rows();
                }
            }
            List<FieldVector> vectors = new ArrayList<>(evaluators.size());
            for (int i = 0; i < evaluators.size(); i++) {
                int[] r = rows;
                if (r == null && copy[i]) {
                    r = identity(count);
                }
                vectors.add(evaluators.get(i).evaluate(batch, r, count));
            }
            return new VectorSchemaRoot(fields, vectors, count);
        }
        return null;
    }

    private int[] identity(int count) {
        if (identity.length < count) {
            identity = new int[count];
            for (int i = 0; i < count; i++) {
                identity[i] = i;
            }
        }
        return identity;
    }

    private void release() {
        if (filter != null) {
            filter.close();
        }
        evaluators.forEach(VectorEvaluator::close);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            release();
        } finally {
            input.close();
        }
    }
}
