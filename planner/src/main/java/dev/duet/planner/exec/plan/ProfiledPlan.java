package dev.duet.planner.exec.plan;

import dev.duet.core.exec.OperatorProfile;
import dev.duet.core.exec.QueryProfile;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The text of {@code EXPLAIN ANALYZE}: a plan tree with what its run measured, in PostgreSQL's
 * shape. One line per node, inputs indented under an arrow, then one line per extra counter the
 * node's operators reported:
 *
 * <pre>
 * Sort(keys=[0 DESC]) (actual rows=3 batches=1 time=2.104 ms self=0.310 ms)
 *   -&gt; HashAggregate(...) (actual rows=3 batches=1 time=1.794 ms self=0.602 ms)
 *     -&gt; Filter(condition=...) (actual rows=600 batches=1 time=1.192 ms self=0.300 ms)
 *          rows removed by filter: 400
 *       -&gt; TableScan(table=public.t, columns=[k, v]) (actual rows=1000 batches=1 time=0.892 ms self=0.892 ms)
 *            segments skipped: 4
 * </pre>
 *
 * <p>{@code time} is the wall time spent in the node's {@code next()} calls including its inputs;
 * {@code self} subtracts the inputs' time. {@code loops=n} appears when n operators were created
 * for the node; a node whose operator was never created shows {@code (never executed)}. A filter
 * (or a project with a fused filter) also shows the rows it removed, derived from its input's
 * count: nothing is counted for it while the query runs.
 */
public final class ProfiledPlan {
    private ProfiledPlan() {
    }

    /** Appends {@code root}'s tree with its measurements, the root at {@code depth} (0: not indented). */
    public static void append(StringBuilder out, PlanNode root, QueryProfile profile, int depth) {
        append(out, root, profile, depth, PlanNode::describe);
    }

    /** As above, each node's description written by {@code describe} (see {@link PlanNode#explain(Function)}). */
    public static void append(StringBuilder out, PlanNode root, QueryProfile profile, int depth,
            Function<PlanNode, String> describe) {
        Objects.requireNonNull(profile, "profile is null");
        appendNode(out, root, profile, depth, describe);
    }

    /** The time {@code node}'s operators took, inputs included, in nanoseconds (0 if never run). */
    public static long inclusiveNanos(PlanNode node, QueryProfile profile) {
        OperatorProfile p = profile.of(node);
        return p == null ? 0 : p.nanos();
    }

    /** Nanoseconds as milliseconds with three decimals, as PostgreSQL prints times. */
    public static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static void appendNode(StringBuilder out, PlanNode node, QueryProfile profile, int depth,
            Function<PlanNode, String> describe) {
        String indent = prefix(depth);
        out.append(indent).append(depth > 0 ? "-> " : "").append(describe.apply(node)).append(' ');
        OperatorProfile p = profile.of(node);
        if (p == null) {
            out.append("(never executed)\n");
        } else {
            long inputs = 0;
            for (PlanNode input : node.inputs()) {
                inputs += inclusiveNanos(input, profile);
            }
            out.append("(actual rows=").append(p.rows()).append(" batches=").append(p.batches());
            if (p.instances() > 1) {
                out.append(" loops=").append(p.instances());
            }
            out.append(" time=").append(millis(p.nanos())).append(" ms self=")
                    .append(millis(Math.max(0, p.nanos() - inputs))).append(" ms)\n");
            String detailIndent = indent + (depth > 0 ? "     " : "  ");
            long removed = removedByFilter(node, p, profile);
            if (removed >= 0) {
                out.append(detailIndent).append("rows removed by filter: ").append(removed).append('\n');
            }
            for (Map.Entry<String, Long> d : p.details().entrySet()) {
                out.append(detailIndent).append(d.getKey()).append(": ").append(d.getValue()).append('\n');
            }
        }
        for (PlanNode input : node.inputs()) {
            appendNode(out, input, profile, depth + 1, describe);
        }
    }

    /**
     * The input rows a filter (or a project's fused filter) dropped, or -1 for other nodes. Both
     * operators turn each input batch into at most one output batch and hold nothing back, so
     * this is exactly input rows minus output rows, even when the consumer stopped early.
     */
    private static long removedByFilter(PlanNode node, OperatorProfile p, QueryProfile profile) {
        boolean filters = node instanceof FilterNode || node instanceof ProjectNode project && project.filter() != null;
        OperatorProfile input = filters ? profile.of(node.inputs().get(0)) : null;
        return input == null ? -1 : input.rows() - p.rows();
    }

    private static String prefix(int depth) {
        return "  ".repeat(depth);
    }
}
