package dev.duet.planner.convert;

import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Aggregates only the groups an inner join can use: for a join of {@code X} with
 * {@code Aggregate(group by g) over Y} on {@code X.x = g}, where {@code x} comes (through
 * projects, inner and semi joins) from a filtered input {@code S} of {@code X}, the aggregate's
 * input becomes {@code Y SEMI JOIN S ON Y.g = S.x}. This is what a decorrelated scalar
 * sub-query looks like: TPC-H q17 averages {@code l_quantity} per part over all 6 million line
 * items at SF 1 and then keeps the ~200 parts of one brand and container; with the semi join the
 * aggregate reads only those parts' line items.
 *
 * <p>Correct because a group whose key is not among the values of {@code S.x} cannot match any
 * row of {@code X} (every row of {@code X} carries an {@code x} that {@code S} produced), and a
 * group that is kept is computed over all of its rows (the semi join tests the group key only).
 * NULL keys match nothing in the join, so dropping them below the aggregate changes nothing.
 * {@code S} is planned twice (it is a filtered scan, cheap next to the aggregate).
 */
final class AggregateSemiJoinReduction extends RelHomogeneousShuttle {
    /** {@code rel} with the aggregates below inner joins reduced where a filtered source allows. */
    static RelNode apply(RelNode rel) {
        return rel.accept(new AggregateSemiJoinReduction());
    }

    @Override
    public RelNode visit(RelNode other) {
        RelNode node = super.visit(other);
        return node instanceof LogicalJoin join && join.getJoinType() == JoinRelType.INNER ? reduce(join) : node;
    }

    private static RelNode reduce(LogicalJoin join) {
        JoinInfo info = join.analyzeCondition();
        for (int k = 0; k < info.leftKeys.size(); k++) {
            RelNode right = reduced(join.getRight(), info.rightKeys.get(k), join.getLeft(), info.leftKeys.get(k));
            if (right != null) {
                return join.copy(join.getTraitSet(), List.of(join.getLeft(), right));
            }
            RelNode left = reduced(join.getLeft(), info.leftKeys.get(k), join.getRight(), info.rightKeys.get(k));
            if (left != null) {
                return join.copy(join.getTraitSet(), List.of(left, join.getRight()));
            }
        }
        return join;
    }

    /**
     * {@code side} with its aggregate's input semi-joined to the filtered source of {@code other}'s
     * field {@code otherField}, if {@code side} is an aggregate (under projects of fields) grouped
     * by its field {@code field}; else null.
     */
    private static RelNode reduced(RelNode side, int field, RelNode other, int otherField) {
        if (side instanceof Project project) {
            if (!(project.getProjects().get(field) instanceof RexInputRef ref)) {
                return null;
            }
            RelNode input = reduced(project.getInput(), ref.getIndex(), other, otherField);
            return input == null ? null : project.copy(project.getTraitSet(), List.of(input));
        }
        if (!(side instanceof Aggregate aggregate) || aggregate.getGroupType() != Aggregate.Group.SIMPLE
                || field >= aggregate.getGroupCount()) {
            return null;
        }
        Source source = filteredSource(other, otherField);
        if (source == null) {
            return null;
        }
        int groupField = aggregate.getGroupSet().nth(field);
        RelNode y = aggregate.getInput();
        RexBuilder rex = aggregate.getCluster().getRexBuilder();
        RexNode key = rex.makeInputRef(y, groupField);
        RexNode sourceKey = rex.makeInputRef(source.rel, source.field);
        if (!SqlTypeUtil.equalSansNullability(rex.getTypeFactory(), key.getType(), sourceKey.getType())) {
            return null;
        }
        RelNode keys = LogicalProject.create(source.rel, List.of(), List.of(sourceKey), List.of("key"), Set.of());
        int width = y.getRowType().getFieldCount();
        RexNode condition = rex.makeCall(SqlStdOperatorTable.EQUALS, key,
                new RexInputRef(width, sourceKey.getType()));
        RelNode semi = LogicalJoin.create(y, keys, List.of(), condition, Set.of(), JoinRelType.SEMI);
        return aggregate.copy(aggregate.getTraitSet(), semi, aggregate.getGroupSet(), aggregate.getGroupSets(),
                aggregate.getAggCallList());
    }

    /**
     * Whether {@code filter} reads a table (through projects) and is estimated to keep less than
     * half of its rows: a source worth reading twice, whose semi join removes enough of the
     * aggregate's input to pay for itself.
     */
    private static boolean selective(Filter filter) {
        RelNode below = filter.getInput();
        while (below instanceof Project p) {
            below = p.getInput();
        }
        if (!(below instanceof TableScan scan)) {
            return false;
        }
        Double rows = filter.getCluster().getMetadataQuery().getRowCount(filter);
        return rows != null && rows < 0.5 * scan.getTable().getRowCount();
    }

    /** A filter (or a project over one) producing a field's values. */
    private record Source(RelNode rel, int field) {
    }

    /**
     * The filtered input of {@code rel} that every value of its field {@code field} comes from,
     * following projected fields and the sides of inner and semi joins (and their equi-join
     * conditions to the other side); null if the field reaches no filter.
     */
    private static Source filteredSource(RelNode rel, int field) {
        if (rel instanceof Filter filter) {
            return selective(filter) ? new Source(rel, field) : null;
        }
        if (rel instanceof Project project) {
            if (!(project.getProjects().get(field) instanceof RexInputRef ref)) {
                return null;
            }
            Source below = filteredSource(project.getInput(), ref.getIndex());
            // a project right over a filter is as good a source as the filter
            return below != null && below.rel == project.getInput() ? new Source(project, field) : below;
        }
        if (rel instanceof Join join && (join.getJoinType() == JoinRelType.INNER || join.getJoinType() == JoinRelType.SEMI)) {
            int leftCount = join.getLeft().getRowType().getFieldCount();
            JoinInfo info = join.analyzeCondition();
            Source direct = field < leftCount ? filteredSource(join.getLeft(), field)
                    : filteredSource(join.getRight(), field - leftCount);
            if (direct != null) {
                return direct;
            }
            // x = y in the join condition: every output row's x is a y, so y's source serves
            for (int k = 0; k < info.leftKeys.size(); k++) {
                if (field == info.leftKeys.get(k)) {
                    return filteredSource(join.getRight(), info.rightKeys.get(k));
                }
                if (field == leftCount + info.rightKeys.get(k)) {
                    return filteredSource(join.getLeft(), info.leftKeys.get(k));
                }
            }
        }
        return null;
    }
}
