package dev.duet.planner.exec.plan;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.exec.QueryProfile;
import dev.duet.rowstore.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A node of a physical plan: immutable, describable (EXPLAIN prints {@link #explain()}), and
 * able to create the running {@link Operator} for one execution. The operator holds all running
 * state and memory; a plan can be run many times, also concurrently.
 */
public interface PlanNode {
    /** The columns of the batches the operator produces, in order. */
    List<BatchColumn> columns();

    /** The nodes this one reads from. */
    List<PlanNode> inputs();

    /**
     * This node over {@code inputs} (as many as {@link #inputs()}, with the same columns) instead
     * of its own: how a rewrite of a finished plan (such as parallelizing it) rebuilds the nodes
     * above what it replaced. Leaves have no inputs and return themselves.
     */
    default PlanNode withInputs(List<PlanNode> inputs) {
        if (inputs.isEmpty() && inputs().isEmpty()) {
            return this;
        }
        throw new IllegalArgumentException(getClass().getSimpleName() + " cannot be rebuilt over " + inputs.size() + " new inputs");
    }

    /** This node alone on one line, e.g. {@code Filter(condition=>($1, 5))}. */
    String describe();

    /**
     * Creates the operator tree for one execution under {@code context}, reading the row store
     * at {@code transaction}'s snapshot (callers go through {@link #instantiate}). The caller closes the returned operator (which closes its
     * inputs) before closing the context.
     */
    Operator createOperator(QueryContext context, Transaction transaction);

    /**
     * Creates {@code node}'s operator tree for one execution: {@link #createOperator}, wrapped to
     * count rows, batches and time when the query is profiled ({@link QueryContext#profile()},
     * EXPLAIN ANALYZE). Use this, not {@code createOperator}, for the root of a plan and for every
     * input a node creates, so that EXPLAIN ANALYZE sees every node; unprofiled, it costs one
     * field read per operator created.
     */
    static Operator instantiate(PlanNode node, QueryContext context, Transaction transaction) {
        Operator operator = node.createOperator(context, transaction);
        QueryProfile profile = context.profile();
        return profile == null ? operator : profile.instrument(node, operator);
    }

    /**
     * Creates the operators of {@code inputs} for one execution, then {@code operator} over them;
     * if any step fails, closes what was created and rethrows. For the {@link #createOperator}
     * of nodes with inputs.
     */
    static Operator createOver(List<PlanNode> inputs, QueryContext context, Transaction transaction,
            Function<List<Operator>, Operator> operator) {
        List<Operator> created = new ArrayList<>(inputs.size());
        try {
            for (PlanNode input : inputs) {
                created.add(instantiate(input, context, transaction));
            }
            return operator.apply(created);
        } catch (RuntimeException e) {
            for (Operator o : created) {
                try {
                    o.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** The plan below and including this node, one node per line, inputs indented. */
    default String explain() {
        return explain(PlanNode::describe);
    }

    /**
     * As {@link #explain()}, each node's line written by {@code describe} (EXPLAIN adds what a
     * node does in this execution, such as the store a scan is routed to).
     */
    default String explain(Function<PlanNode, String> describe) {
        StringBuilder sb = new StringBuilder();
        explain(this, 0, sb, describe);
        return sb.toString();
    }

    private static void explain(PlanNode node, int depth, StringBuilder sb, Function<PlanNode, String> describe) {
        sb.append("  ".repeat(depth)).append(describe.apply(node)).append('\n');
        for (PlanNode input : node.inputs()) {
            explain(input, depth + 1, sb, describe);
        }
    }
}
