package dev.duet.planner.exec.plan;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.rowstore.Transaction;
import java.util.List;

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

    /** This node alone on one line, e.g. {@code Filter(condition=>($1, 5))}. */
    String describe();

    /**
     * Creates the operator tree for one execution under {@code context}, reading the row store
     * at {@code transaction}'s snapshot. The caller closes the returned operator (which closes its
     * inputs) before closing the context.
     */
    Operator createOperator(QueryContext context, Transaction transaction);

    /** The plan below and including this node, one node per line, inputs indented. */
    default String explain() {
        StringBuilder sb = new StringBuilder();
        explain(this, 0, sb);
        return sb.toString();
    }

    private static void explain(PlanNode node, int depth, StringBuilder sb) {
        sb.append("  ".repeat(depth)).append(node.describe()).append('\n');
        for (PlanNode input : node.inputs()) {
            explain(input, depth + 1, sb);
        }
    }
}
