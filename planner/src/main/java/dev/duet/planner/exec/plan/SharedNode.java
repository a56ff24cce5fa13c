package dev.duet.planner.exec.plan;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.rowstore.Transaction;
import java.util.List;
import java.util.Objects;

/**
 * A sub-plan that several places of one plan read (a view or common sub-expression used twice,
 * such as TPC-H q15's {@code revenue}, joined with suppliers and aggregated for its maximum): one
 * node object appears as the input of each reader, and per execution its input runs once. The
 * first reader to ask for a batch runs the input to its end and keeps its batches; every reader
 * then gets each batch in turn as slices of the kept vectors (no copy). The kept batches are freed
 * when the last of the {@link #readers()} closes, or at the latest when the plan's
 * {@link SharedScopeNode} closes. Outside a scope (a plan not made by the physical planner) each
 * reader simply runs the input itself.
 *
 * <p>The price is that the shared result is held in memory whole and is not streamed; the
 * planner shares only sub-plans that aggregate or join, whose repeated cost outweighs that.
 */
public final class SharedNode implements PlanNode {
    private final PlanNode input;
    private final int id;
    private final int readers;

    /**
     * @param id      a number for EXPLAIN, telling the shared sub-plans of one plan apart
     * @param readers the places of the plan that read this node; at least 1
     */
    public SharedNode(PlanNode input, int id, int readers) {
        this.input = Objects.requireNonNull(input, "input is null");
        if (readers < 1) {
            throw new IllegalArgumentException("readers must be positive, got " + readers);
        }
        this.id = id;
        this.readers = readers;
    }

    /** How many places of the plan read this node. */
    public int readers() {
        return readers;
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
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("SharedNode cannot be rebuilt over " + inputs.size() + " new inputs");
        }
        return new SharedNode(inputs.get(0), id, readers);
    }

    @Override
    public String describe() {
        return "Shared(#" + id + ", readers=" + readers + ")";
    }

    @Override
    public Operator createOperator(QueryContext context, Transaction transaction) {
        SharedResults results = context.attachment(SharedResults.class);
        if (results == null) {
            return PlanNode.instantiate(input, context, transaction);
        }
        return results.reader(this, transaction);
    }
}
