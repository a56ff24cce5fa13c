package dev.duet.planner.exec.ops;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.planner.exec.expr.CompiledExpression;
import dev.duet.planner.exec.expr.InputRefEvaluator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Keeps the rows of its input for which a predicate is TRUE (NULL and FALSE drop), applying the
 * operands of an AND one after another over the rows still kept ({@link ConjunctFilter}). A batch whose
 * rows all pass goes through as it is; otherwise the kept rows are gathered into vectors of this
 * operator's own, unless the consumer reads selections ({@link SelectingOperator}) and most rows
 * were kept: then the batch goes through with the kept rows as its selection. Batches where no
 * row passes are skipped. The output columns are the input's.
 */
public final class FilterOperator implements SelectingOperator {
    private final QueryContext context;
    private final Operator input;
    private final ConjunctFilter predicate;
    private final List<BatchColumn> columns;
    private final List<Field> fields;
    private final List<InputRefEvaluator> gather;
    private final List<FieldVector> outVectors;
    private boolean done;
    private boolean closed;
    private boolean selecting;
    private int[] selection;
    private int selected;

    /** Takes ownership of {@code input} (closes it). */
    public FilterOperator(QueryContext context, Operator input, CompiledExpression predicate) {
        this.context = Objects.requireNonNull(context, "context is null");
        this.input = Objects.requireNonNull(input, "input is null");
        Objects.requireNonNull(predicate, "predicate is null");
        if (predicate.type().kind() != DataType.Kind.BOOLEAN) {
            throw new IllegalArgumentException("filter predicate is of type " + predicate.type());
        }
        this.columns = input.columns();
        List<Field> f = new ArrayList<>();
        List<InputRefEvaluator> g = new ArrayList<>();
        ConjunctFilter p = null;
        try {
            p = new ConjunctFilter(predicate, context);
            for (int i = 0; i < columns.size(); i++) {
                f.add(columns.get(i).field());
                g.add(new InputRefEvaluator(columns.get(i).type(), i, context.allocator()));
            }
        } catch (RuntimeException e) {
            if (p != null) {
                p.close();
            }
            g.forEach(InputRefEvaluator::close);
            throw e;
        }
        this.predicate = p;
        this.fields = List.copyOf(f);
        this.gather = List.copyOf(g);
        this.outVectors = new ArrayList<>(columns.size());
    }

    @Override
    public List<BatchColumn> columns() {
        return columns;
    }

    @Override
    public void acceptSelections() {
        selecting = true;
    }

    @Override
    public int[] selection() {
        return selection;
    }

    @Override
    public int selectedCount() {
        return selected;
    }

    @Override
    public VectorSchemaRoot next() {
        if (closed) {
            throw new IllegalStateException("filter is closed");
        }
        selection = null;
        while (!done) {
            context.checkCancelled();
            VectorSchemaRoot batch = input.next();
            if (batch == null) {
                done = true;
                release();
                return null;
            }
            int n = batch.getRowCount();
            int kept = predicate.select(batch, n);
            if (kept == n) {
                return batch;
            }
            if (kept == 0) {
                continue;
            }
            if (selecting && SelectingOperator.worthSelecting(kept, n)) {
                selection = predicate.rows();
                selected = kept;
                return batch;
            }
            outVectors.clear();
            for (InputRefEvaluator g : gather) {
                outVectors.add(g.evaluate(batch, predicate.rows(), kept));
            }
            return new VectorSchemaRoot(fields, new ArrayList<>(outVectors), kept);
        }
        return null;
    }

    private void release() {
        predicate.close();
        gather.forEach(InputRefEvaluator::close);
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
