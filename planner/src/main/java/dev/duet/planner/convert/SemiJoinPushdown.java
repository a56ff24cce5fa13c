package dev.duet.planner.convert;

import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.rules.SemiJoinJoinTransposeRule;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Moves a semi join below an inner join, to the input its condition reads, when that input is
 * estimated to have no more rows than the join: the semi join then probes no more rows and the
 * rows it removes are not joined first. TPC-H q18: {@code o_orderkey IN (orders with more than 300
 * units)} filters the orders (1.5 million at SF 1) instead of their join with the line items (6
 * million), and before their join with the customers (as many rows as orders: a customer key is
 * unique), which would otherwise gather a customer's name for every order. Where the join
 * reduces its input instead (q21: line items of one nation's suppliers), the semi join stays
 * above it. Calcite's {@link SemiJoinJoinTransposeRule} does the move; this
 * decides whether to.
 */
final class SemiJoinPushdown extends SemiJoinJoinTransposeRule {
    static final SemiJoinPushdown INSTANCE = new SemiJoinPushdown();

    private SemiJoinPushdown() {
        super(Config.DEFAULT);
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
        Join semi = call.rel(0);
        Join join = call.rel(1);
        JoinInfo info = semi.analyzeCondition();
        if (!info.isEqui()) {
            return;
        }
        ImmutableBitSet keys = ImmutableBitSet.of(info.leftKeys);
        int leftCount = join.getLeft().getRowType().getFieldCount();
        ImmutableBitSet leftFields = ImmutableBitSet.range(leftCount);
        RelMetadataQuery mq = call.getMetadataQuery();
        Double target;
        if (leftFields.contains(keys)) {
            target = mq.getRowCount(join.getLeft());
        } else if (keys.nextSetBit(0) >= leftCount) {
            target = mq.getRowCount(join.getRight());
        } else {
            return;
        }
        Double rows = mq.getRowCount(join);
        if (target != null && rows != null && target <= rows) {
            super.onMatch(call);
        }
    }
}
