package dev.duet.planner.convert;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Derives filters on a join's inputs from OR conditions that span both: for a conjunct
 * {@code (a1 AND b1 AND j1) OR (a2 AND b2 AND j2)} of a join condition, where the {@code a}s read
 * only the left input and the {@code b}s only the right, the left input is filtered on
 * {@code a1 OR a2} and the right on {@code b1 OR b2}; the join keeps the whole condition. Factors
 * shared by every branch (TPC-H q19's {@code p_partkey = l_partkey}) become conjuncts of their own
 * first, so an equi-join key hidden in an OR is visible to join ordering.
 *
 * <p>Correct because a row of one side whose part of every branch is not TRUE makes every branch
 * not TRUE, so the condition cannot be TRUE for any pair containing it. Only a side whose rows
 * are dropped when unmatched is filtered: both sides of an inner or semi join, the right side of
 * a left or anti join, the left side of a right join. TPC-H q7 ({@code n1.n_name} and
 * {@code n2.n_name} in two OR branches: each nation scan keeps two rows instead of 25) and q19
 * (three brand/container/size branches on part, three quantity/shipmode branches on lineitem:
 * the join reads a few percent of the line items instead of all).
 */
final class DisjunctionPushdown extends RelHomogeneousShuttle {
    private boolean changed;

    /** {@code rel} with the derived filters, or {@code rel} itself if no join condition yields one. */
    static RelNode apply(RelNode rel) {
        DisjunctionPushdown shuttle = new DisjunctionPushdown();
        RelNode out = rel.accept(shuttle);
        return shuttle.changed ? out : rel;
    }

    @Override
    public RelNode visit(RelNode other) {
        RelNode node = super.visit(other);
        return node instanceof LogicalJoin join ? derive(join) : node;
    }

    private RelNode derive(LogicalJoin join) {
        JoinRelType type = join.getJoinType();
        boolean filterLeft = type == JoinRelType.INNER || type == JoinRelType.SEMI || type == JoinRelType.RIGHT;
        boolean filterRight = type == JoinRelType.INNER || type == JoinRelType.SEMI || type == JoinRelType.LEFT
                || type == JoinRelType.ANTI;
        if (!filterLeft && !filterRight || !RexUtil.isDeterministic(join.getCondition())) {
            return join;
        }
        RexBuilder rex = join.getCluster().getRexBuilder();
        int leftCount = join.getLeft().getRowType().getFieldCount();
        int total = leftCount + join.getRight().getRowType().getFieldCount();
        RexNode condition = RexUtil.pullFactors(rex, join.getCondition());
        List<RexNode> onLeft = new ArrayList<>();
        List<RexNode> onRight = new ArrayList<>();
        for (RexNode c : RelOptUtil.conjunctions(condition)) {
            if (c.getKind() != SqlKind.OR) {
                continue;
            }
            RexNode left = filterLeft ? implied(rex, c, 0, leftCount) : null;
            if (left != null) {
                onLeft.add(left);
            }
            RexNode right = filterRight ? implied(rex, c, leftCount, total) : null;
            if (right != null) {
                onRight.add(RexUtil.shift(right, -leftCount));
            }
        }
        if (onLeft.isEmpty() && onRight.isEmpty() && condition.equals(join.getCondition())) {
            return join;
        }
        changed = true;
        RelNode left = onLeft.isEmpty() ? join.getLeft()
                : LogicalFilter.create(join.getLeft(), RexUtil.composeConjunction(rex, onLeft));
        RelNode right = onRight.isEmpty() ? join.getRight()
                : LogicalFilter.create(join.getRight(), RexUtil.composeConjunction(rex, onRight));
        return join.copy(join.getTraitSet(), condition, left, right, type, join.isSemiJoinDone());
    }

    /**
     * The OR over {@code or}'s branches of each branch's conjuncts that read only fields
     * {@code [from, to)}, or null if some branch has no such conjunct (then nothing is implied).
     */
    private static RexNode implied(RexBuilder rex, RexNode or, int from, int to) {
        ImmutableBitSet side = ImmutableBitSet.range(from, to);
        List<RexNode> branches = new ArrayList<>();
        for (RexNode branch : RelOptUtil.disjunctions(or)) {
            List<RexNode> own = new ArrayList<>();
            for (RexNode c : RelOptUtil.conjunctions(branch)) {
                ImmutableBitSet bits = RelOptUtil.InputFinder.bits(c);
                if (!bits.isEmpty() && side.contains(bits)) {
                    own.add(c);
                }
            }
            if (own.isEmpty()) {
                return null;
            }
            branches.add(RexUtil.composeConjunction(rex, own));
        }
        return RexUtil.composeDisjunction(rex, branches);
    }
}
