package dev.duet.planner.exec.plan;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.planner.exec.expr.CompiledExpression;
import dev.duet.planner.exec.join.HashJoinOperator;
import dev.duet.planner.exec.join.HashJoinSpec;
import dev.duet.planner.exec.join.SharedHashBuild;
import dev.duet.planner.exec.join.JoinKey;
import dev.duet.planner.exec.join.JoinType;
import dev.duet.planner.exec.join.NestedLoopJoinOperator;
import dev.duet.planner.exec.join.NestedLoopJoinSpec;
import dev.duet.planner.exec.ops.ExpressionJoinFilter;
import dev.duet.rowstore.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.Objects;

/**
 * A join of two inputs: a {@link HashJoinOperator} on equi-join keys (columns of one type each)
 * with an optional residual condition, or a {@link NestedLoopJoinOperator} when there are no keys.
 * The output is the left input's columns (all types but RIGHT_SEMI and RIGHT_ANTI), then (all
 * types but SEMI and ANTI) the right's, or of those only the ones the planner asked for (a hash
 * join leaves out what its consumer does not read, typically the keys). The
 * residual is compiled over {@link #candidateColumns} (left columns, then right columns) and
 * opened per execution, so it may read statement parameters.
 */
public final class JoinNode implements PlanNode {
    private final PlanNode left;
    private final PlanNode right;
    private final JoinType type;
    private final List<JoinKey> keys;
    private final CompiledExpression residual;
    private final long buildRowsEstimate;
    /** The columns of the whole output (left then right) this join produces, ascending; null for all. */
    private final int[] outputs;
    private final List<BatchColumn> columns;

    /**
     * @param keys     equi-join keys; empty for a nested-loop join
     * @param residual the rest of the condition over {@link #candidateColumns}, or null
     * @param buildRowsEstimate expected rows of the right input; zero or negative if unknown
     */
    public JoinNode(PlanNode left, PlanNode right, JoinType type, List<JoinKey> keys, CompiledExpression residual,
            long buildRowsEstimate) {
        this(left, right, type, keys, residual, buildRowsEstimate, null);
    }

    /**
     * A join that produces only {@code outputs} of its whole output (the left columns then the
     * right ones, ascending; null for all), the columns its consumer reads. Only a hash join leaves
     * columns out; a nested-loop join ({@code keys} empty) must have null.
     */
    public JoinNode(PlanNode left, PlanNode right, JoinType type, List<JoinKey> keys, CompiledExpression residual,
            long buildRowsEstimate, int[] outputs) {
        if (outputs != null && keys.isEmpty()) {
            throw new IllegalArgumentException("a nested-loop join produces all its columns");
        }
        this.outputs = outputs == null ? null : outputs.clone();
        this.left = Objects.requireNonNull(left, "left is null");
        this.right = Objects.requireNonNull(right, "right is null");
        this.type = Objects.requireNonNull(type, "type is null");
        this.keys = List.copyOf(keys);
        this.residual = residual;
        this.buildRowsEstimate = buildRowsEstimate;
        List<BatchColumn> out = new ArrayList<>();
        if (type.outputsLeft()) {
            for (BatchColumn c : left.columns()) {
                out.add(new BatchColumn(c.name(), c.type(), c.nullable() || type.keepsUnmatchedRight()));
            }
        }
        if (type.outputsRight()) {
            for (BatchColumn c : right.columns()) {
                out.add(new BatchColumn(c.name(), c.type(), c.nullable() || type.keepsUnmatchedLeft()));
            }
        }
        if (outputs != null) {
            List<BatchColumn> kept = new ArrayList<>(outputs.length);
            for (int o : outputs) {
                kept.add(out.get(o));
            }
            out = kept;
        }
        this.columns = List.copyOf(out);
    }

    /** The columns a residual condition of a join of {@code left} and {@code right} is evaluated over. */
    public static List<BatchColumn> candidateColumns(PlanNode left, PlanNode right) {
        List<BatchColumn> out = new ArrayList<>();
        for (BatchColumn c : left.columns()) {
            out.add(new BatchColumn(c.name(), c.type(), true));
        }
        for (BatchColumn c : right.columns()) {
            out.add(new BatchColumn(c.name(), c.type(), true));
        }
        return out;
    }

    public JoinType type() {
        return type;
    }

    public List<JoinKey> keys() {
        return keys;
    }

    @Override
    public List<BatchColumn> columns() {
        return columns;
    }

    @Override
    public List<PlanNode> inputs() {
        return List.of(left, right);
    }

    @Override
    public PlanNode withInputs(List<PlanNode> inputs) {
        return new JoinNode(inputs.get(0), inputs.get(1), type, keys, residual, buildRowsEstimate, outputs);
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder(keys.isEmpty() ? "NestedLoopJoin(" : "HashJoin(").append(type);
        for (int i = 0; i < keys.size(); i++) {
            sb.append(i == 0 ? ", keys=" : " AND ").append(keys.get(i));
        }
        if (residual != null) {
            sb.append(keys.isEmpty() ? ", condition=" : ", residual=").append(residual);
        }
        if (buildRowsEstimate > 0) {
            sb.append(", build rows ~").append(buildRowsEstimate);
        }
        return sb.append(')').toString();
    }

    /**
     * Whether copies of this join can probe one build side at once inside a parallel pipeline: a
     * hash join that outputs no build rows by whether they matched (those, {@link #hasBuildTail},
     * can only end a pipeline).
     */
    public boolean canShareBuild() {
        return !keys.isEmpty() && !type.tracksRightMatches();
    }

    /**
     * Whether this is a hash join that outputs build rows once its probe side has ended (RIGHT,
     * FULL, RIGHT_SEMI, RIGHT_ANTI): copies of it can probe one build side at the top of a
     * parallel pipeline, and {@link #buildTail} then outputs those rows by the copies' merged
     * matches.
     */
    public boolean hasBuildTail() {
        return !keys.isEmpty() && type.tracksRightMatches();
    }

    /**
     * The build rows of {@code shared} (this join's, made by {@link #buildShared}) that the copies
     * probing it matched or did not, as {@link #type} asks; run after every copy has ended. The
     * operator closes {@code shared}.
     */
    public Operator buildTail(QueryContext context, SharedHashBuild shared) {
        if (!hasBuildTail()) {
            throw new IllegalStateException(describe() + " outputs no build rows after its probe side");
        }
        // the residual was applied by the copies, to the pairs whose matches they added
        return HashJoinOperator.buildTail(context, new HashJoinSpec(type, keys, null, buildRowsEstimate, outputs),
                left.columns(), shared);
    }

    /**
     * Runs the right input (on this thread, under {@code context}) and makes its hash table once,
     * for the copies of this join in a parallel pipeline ({@link SharedBuilds}); only if
     * {@link #canShareBuild()} or {@link #hasBuildTail()}. A large table is built on up to {@code threads} threads, this one
     * and {@code pool}'s. The caller closes the result after the copies.
     */
    public SharedHashBuild buildShared(QueryContext context, Transaction transaction, Executor pool, int threads) {
        if (keys.isEmpty()) {
            throw new IllegalStateException(describe() + " cannot share its build side");
        }
        Operator build = PlanNode.instantiate(right, context, transaction);
        ExpressionJoinFilter filter = null;
        try {
            filter = residual == null ? null : new ExpressionJoinFilter(residual, context);
            return HashJoinOperator.buildShared(context, new HashJoinSpec(type, keys, filter, buildRowsEstimate, outputs),
                    left.columns(), build, pool, threads);
        } catch (RuntimeException e) {
            build.close();
            throw e;
        } finally {
            if (filter != null) {
                filter.close(); // only told the builder which right columns the residual reads
            }
        }
    }

    /**
     * The build sides a worker's copies of joins probe instead of building their own (attached to
     * the worker's context by the gather that runs the pipeline, which made them once and closes
     * them after the copies).
     */
    public record SharedBuilds(Map<JoinNode, SharedHashBuild> builds) {
    }

    @Override
    public Operator createOperator(QueryContext context, Transaction transaction) {
        SharedBuilds sharedBuilds = context.attachment(SharedBuilds.class);
        SharedHashBuild shared = sharedBuilds == null ? null : sharedBuilds.builds().get(this);
        if (shared != null) {
            Operator probe = PlanNode.instantiate(left, context, transaction);
            ExpressionJoinFilter filter = null;
            try {
                filter = residual == null ? null : new ExpressionJoinFilter(residual, context);
                return new HashJoinOperator(context, new HashJoinSpec(type, keys, filter, buildRowsEstimate, outputs), probe, shared);
            } catch (RuntimeException e) {
                if (filter != null) {
                    filter.close();
                }
                probe.close();
                throw e;
            }
        }
        return PlanNode.createOver(inputs(), context, transaction, in -> {
            ExpressionJoinFilter filter = residual == null ? null : new ExpressionJoinFilter(residual, context);
            try {
                return keys.isEmpty()
                        ? new NestedLoopJoinOperator(context, new NestedLoopJoinSpec(type, filter, buildRowsEstimate),
                                in.get(0), in.get(1))
                        : new HashJoinOperator(context, new HashJoinSpec(type, keys, filter, buildRowsEstimate, outputs),
                                in.get(0), in.get(1));
            } catch (RuntimeException e) {
                if (filter != null) {
                    filter.close();
                }
                throw e;
            }
        });
    }
}
