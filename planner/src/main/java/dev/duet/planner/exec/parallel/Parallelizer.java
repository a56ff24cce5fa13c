package dev.duet.planner.exec.parallel;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.types.DataType;
import dev.duet.planner.exec.ops.AggregateCall;
import dev.duet.planner.exec.ops.AggregateKind;
import dev.duet.planner.exec.ops.AggregateSpec;
import dev.duet.planner.exec.plan.AggregateNode;
import dev.duet.planner.exec.plan.FilterNode;
import dev.duet.planner.exec.plan.JoinNode;
import dev.duet.planner.exec.plan.PlanNode;
import dev.duet.planner.exec.plan.ProjectNode;
import dev.duet.planner.exec.plan.SharedNode;
import dev.duet.planner.exec.plan.TableScanNode;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a serial physical plan parallel for {@code threads} threads (a session's
 * {@code duet.threads}): every pipeline — a chain of filters, projections and probe sides of hash
 * joins over a table scan, possibly ended by a hash join that outputs build rows after its probe
 * side (RIGHT, FULL, RIGHT_SEMI, RIGHT_ANTI) — gets a {@link GatherNode} above it (the joins' build sides, made
 * parallel in turn, are built once per execution and probed by every copy of the pipeline), and an aggregate directly over a pipeline becomes two-phase:
 * a partial aggregate in every copy of the pipeline, a final aggregate merging the partial states
 * above the gather, and an {@link AggregateFinishNode} when averages or counts need their final
 * form.
 *
 * <p>Order: a gather returns rows in no particular order, and a pipeline holds no sort, so what
 * reads a gather either does not depend on the order of its input (aggregates, joins, set
 * operations, sorts, projections and filters) or passes the order on to a client that asked for
 * none (a query without ORDER BY, a LIMIT without ORDER BY, which SQL lets return any rows).
 *
 * <p>Aggregates split into partial and final phases: COUNT (a sum of partial counts), SUM, MIN,
 * MAX, BOOL_AND, BOOL_OR (the same function again) and AVG (a merged sum and count, divided at
 * the end); FILTER clauses apply in the partial phase. An aggregate with any DISTINCT call or any
 * other function (variances, SINGLE_VALUE) stays one aggregate, above the gather. A global
 * aggregate (no GROUP BY) gets one partial row from every copy, so an empty table still gives
 * counts of 0 and NULL for the rest.
 *
 * <p>With {@code threads} below 2 the plan is returned unchanged: {@code duet.threads = 1} runs
 * exactly the serial plan.
 */
public final class Parallelizer {
    private final int threads;
    /** Each {@link SharedNode} of the plan and what it became. */
    private final Map<SharedNode, PlanNode> rewrittenShared = new IdentityHashMap<>();

    private Parallelizer(int threads) {
        this.threads = threads;
    }

    /** {@code plan} made parallel for {@code threads} threads (itself if {@code threads} is below 2). */
    public static PlanNode parallelize(PlanNode plan, int threads) {
        if (threads < 2) {
            return plan;
        }
        return new Parallelizer(threads).rewrite(plan);
    }

    private PlanNode rewrite(PlanNode node) {
        if (node instanceof SharedNode shared) {
            // one node read at several places stays one node, so that it still runs once
            PlanNode done = rewrittenShared.get(shared);
            if (done == null) {
                done = rewriteInputs(shared);
                rewrittenShared.put(shared, done);
            }
            return done;
        }
        TableScanNode driver = driver(node);
        if (driver != null) {
            return new GatherNode(withParallelBuilds(node), driver, threads);
        }
        if (node instanceof JoinNode join && join.hasBuildTail()) {
            // the copies probe in parallel; the gather outputs the build rows after them
            TableScanNode probeDriver = driver(join.inputs().get(0));
            if (probeDriver != null) {
                return new GatherNode(withParallelBuilds(node), probeDriver, threads);
            }
        }
        if (node instanceof AggregateNode aggregate) {
            PlanNode input = aggregate.inputs().get(0);
            TableScanNode inputDriver = driver(input);
            if (inputDriver != null && splittable(aggregate.spec())) {
                return twoPhase(aggregate, withParallelBuilds(input), inputDriver);
            }
        }
        return rewriteInputs(node);
    }

    /** {@code node} over its inputs rewritten. */
    private PlanNode rewriteInputs(PlanNode node) {
        List<PlanNode> inputs = node.inputs();
        if (inputs.isEmpty()) {
            return node;
        }
        List<PlanNode> rewritten = new ArrayList<>(inputs.size());
        boolean changed = false;
        for (PlanNode input : inputs) {
            PlanNode r = rewrite(input);
            changed |= r != input;
            rewritten.add(r);
        }
        return changed ? node.withInputs(rewritten) : node;
    }

    /**
     * The table scan at the bottom of {@code node} if it is a pipeline — filters, projections and
     * the probe sides of hash joins that can share their build side, over one scan — else null.
     */
    static TableScanNode driver(PlanNode node) {
        PlanNode n = node;
        while (n instanceof FilterNode || n instanceof ProjectNode || n instanceof JoinNode j && j.canShareBuild()) {
            n = n.inputs().get(0);
        }
        return n instanceof TableScanNode scan ? scan : null;
    }

    /** Pipeline {@code node} with the build sides of its joins made parallel in turn (the driving scan stays the same node). */
    private PlanNode withParallelBuilds(PlanNode node) {
        if (node instanceof TableScanNode) {
            return node;
        }
        List<PlanNode> inputs = node.inputs();
        List<PlanNode> rewritten = new ArrayList<>(inputs.size());
        rewritten.add(withParallelBuilds(inputs.get(0)));
        for (int i = 1; i < inputs.size(); i++) {
            rewritten.add(rewrite(inputs.get(i)));
        }
        return rewritten.equals(inputs) ? node : node.withInputs(rewritten);
    }

    private static boolean splittable(AggregateSpec spec) {
        for (AggregateCall call : spec.aggregates()) {
            if (call.distinct()) {
                return false;
            }
            switch (call.kind()) {
                case COUNT_STAR, COUNT, SUM, MIN, MAX, AVG, BOOL_AND, BOOL_OR -> {
                }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * FinalAggregate(Gather(PartialAggregate(pipeline))), under an AggregateFinish when the
     * final columns differ from the original ones (averages; counts, which the final phase sums).
     */
    private PlanNode twoPhase(AggregateNode aggregate, PlanNode pipeline, TableScanNode driver) {
        AggregateSpec spec = aggregate.spec();
        int keys = spec.groupKeys().size();
        List<BatchColumn> in = pipeline.columns();
        List<AggregateCall> partial = new ArrayList<>();
        List<AggregateCall> merge = new ArrayList<>();
        List<Integer> finalKeys = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            finalKeys.add(k);
        }
        int calls = spec.aggregates().size();
        int[] source = new int[keys + calls];
        int[] countColumn = new int[keys + calls];
        for (int k = 0; k < keys; k++) {
            source[k] = k;
            countColumn[k] = -1;
        }
        boolean finish = false;
        for (int a = 0; a < calls; a++) {
            AggregateCall call = spec.aggregates().get(a);
            int out = keys + a;
            countColumn[out] = -1;
            String name = call.name();
            switch (call.kind()) {
                case COUNT_STAR, COUNT -> {
                    int p = keys + partial.size();
                    partial.add(call);
                    source[out] = keys + merge.size();
                    merge.add(AggregateCall.of(AggregateKind.SUM, p, name, DataType.BIGINT));
                    finish = true; // the sum of counts is nullable where COUNT is not
                }
                case AVG -> {
                    DataType argument = in.get(call.argument()).type();
                    DataType sumType = argument.kind() == DataType.Kind.REAL || argument.kind() == DataType.Kind.DOUBLE
                            ? DataType.DOUBLE
                            : DataType.decimal(DataType.MAX_DECIMAL_PRECISION, argument.scale());
                    int p = keys + partial.size();
                    partial.add(new AggregateCall(AggregateKind.SUM, call.argument(), false, call.filter(), name + "$sum",
                            sumType));
                    partial.add(new AggregateCall(AggregateKind.COUNT, call.argument(), false, call.filter(),
                            name + "$count", DataType.BIGINT));
                    source[out] = keys + merge.size();
                    merge.add(AggregateCall.of(AggregateKind.SUM, p, name + "$sum", sumType));
                    countColumn[out] = keys + merge.size();
                    merge.add(AggregateCall.of(AggregateKind.SUM, p + 1, name + "$count", DataType.BIGINT));
                    finish = true;
                }
                default -> {
                    // SUM, MIN, MAX, BOOL_AND, BOOL_OR: the same function over the partial results
                    int p = keys + partial.size();
                    partial.add(call);
                    source[out] = keys + merge.size();
                    merge.add(AggregateCall.of(call.kind(), p, name, call.type()));
                }
            }
        }
        AggregateNode partialNode = new AggregateNode(pipeline, new AggregateSpec(spec.groupKeys(), partial));
        PlanNode gather = new GatherNode(partialNode, driver, threads);
        PlanNode finalNode = new AggregateNode(gather, new AggregateSpec(finalKeys, merge));
        return finish ? new AggregateFinishNode(finalNode, aggregate.columns(), source, countColumn) : finalNode;
    }
}
