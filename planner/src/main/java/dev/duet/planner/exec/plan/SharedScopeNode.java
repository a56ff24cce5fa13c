package dev.duet.planner.exec.plan;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.rowstore.Transaction;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The root of a plan that holds {@link SharedNode}s: per execution it makes the place where their
 * results are kept ({@link SharedResults}, attached to the query's context before any operator
 * below is created) and frees whatever is still kept when it closes, after the operators below.
 * Passes its input's batches through unchanged.
 */
public final class SharedScopeNode implements PlanNode {
    private final PlanNode input;

    public SharedScopeNode(PlanNode input) {
        this.input = Objects.requireNonNull(input, "input is null");
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
            throw new IllegalArgumentException("SharedScopeNode cannot be rebuilt over " + inputs.size() + " new inputs");
        }
        return new SharedScopeNode(inputs.get(0));
    }

    @Override
    public String describe() {
        return "SharedScope";
    }

    @Override
    public Operator createOperator(QueryContext context, Transaction transaction) {
        SharedResults results = new SharedResults(context);
        SharedResults outer = context.attachment(SharedResults.class);
        context.attach(SharedResults.class, results);
        Operator in;
        try {
            in = PlanNode.instantiate(input, context, transaction);
        } catch (RuntimeException e) {
            results.close();
            throw e;
        } finally {
            context.attach(SharedResults.class, outer);
        }
        return new Operator() {
            private boolean closed;

            @Override
            public List<BatchColumn> columns() {
                return in.columns();
            }

            @Override
            public VectorSchemaRoot next() {
                if (closed) {
                    throw new IllegalStateException("operator is closed");
                }
                return in.next();
            }

            @Override
            public void close() {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    in.close();
                } finally {
                    results.close();
                }
            }
        };
    }
}
