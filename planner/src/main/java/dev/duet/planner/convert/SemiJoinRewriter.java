package dev.duet.planner.convert;

import com.google.common.collect.ImmutableSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;

/**
 * Turns the common sub-query predicates of a WHERE clause into semi and anti joins, which the
 * executor runs as hash joins with residual conditions, before Calcite's general decorrelation
 * sees them. A top-level conjunct of a filter is rewritten when it is
 *
 * <ul>
 *   <li>{@code [NOT] EXISTS (SELECT ... FROM r WHERE c)} with {@code c} correlated to the
 *       filter's input and {@code r} itself uncorrelated: a SEMI (ANTI) join of the input with
 *       {@code r} on the correlated conjuncts of {@code c}; the uncorrelated conjuncts filter
 *       {@code r}. TPC-H q4, q21 (whose {@code <>} correlation otherwise makes the decorrelator
 *       replicate the outer join tree three times) and q22.
 *   <li>{@code (x, ...) IN (uncorrelated query)}: a SEMI join on {@code x = column, ...}.
 * </ul>
 *
 * Both keep SQL's meaning: a conjunct of a WHERE clause needs only TRUE versus not-TRUE, and a
 * join condition that is UNKNOWN does not match. NOT IN (which is UNKNOWN, not FALSE, when the
 * sub-query yields a NULL) and every other shape are left to the general path.
 */
final class SemiJoinRewriter extends RelHomogeneousShuttle {
    @Override
    public RelNode visit(RelNode other) {
        RelNode node = super.visit(other);
        return node instanceof LogicalFilter filter ? rewrite(filter) : node;
    }

    private RelNode rewrite(LogicalFilter filter) {
        RelNode left = filter.getInput();
        List<RexNode> rest = new ArrayList<>();
        boolean changed = false;
        for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
            RelNode joined = semiJoin(left, conjunct, filter.getVariablesSet());
            if (joined == null) {
                rest.add(conjunct);
            } else {
                left = joined;
                changed = true;
            }
        }
        if (!changed) {
            return filter;
        }
        if (rest.isEmpty()) {
            return left;
        }
        RexBuilder rex = filter.getCluster().getRexBuilder();
        return LogicalFilter.create(left, RexUtil.composeConjunction(rex, rest),
                ImmutableSet.copyOf(filter.getVariablesSet()));
    }

    /** {@code left} semi/anti-joined as {@code conjunct} demands, or null if it has another shape. */
    private RelNode semiJoin(RelNode left, RexNode conjunct, Set<CorrelationId> filterVariables) {
        boolean negated = conjunct.getKind() == SqlKind.NOT;
        RexNode e = negated ? ((org.apache.calcite.rex.RexCall) conjunct).getOperands().get(0) : conjunct;
        if (!(e instanceof RexSubQuery subQuery)) {
            return null;
        }
        if (subQuery.getKind() == SqlKind.EXISTS) {
            return exists(left, subQuery, negated, filterVariables);
        }
        if (subQuery.getKind() == SqlKind.IN && !negated) {
            return in(left, subQuery);
        }
        return null;
    }

    private RelNode exists(RelNode left, RexSubQuery subQuery, boolean negated, Set<CorrelationId> filterVariables) {
        Set<CorrelationId> used = RelOptUtil.getVariablesUsed(subQuery.rel);
        if (used.size() != 1 || !filterVariables.containsAll(used)) {
            return null;
        }
        CorrelationId id = used.iterator().next();
        RelNode r = subQuery.rel;
        while (r instanceof Project project) {
            for (RexNode p : project.getProjects()) {
                if (RexUtil.containsCorrelation(p)) {
                    return null;
                }
            }
            r = project.getInput();
        }
        if (!(r instanceof Filter inner) || RexUtil.SubQueryFinder.find(inner.getCondition()) != null
                || !RelOptUtil.getVariablesUsed(inner.getInput()).isEmpty()) {
            return null;
        }
        RelNode right = inner.getInput();
        int leftCount = left.getRowType().getFieldCount();
        RexBuilder rex = left.getCluster().getRexBuilder();
        List<RexNode> joinConditions = new ArrayList<>();
        List<RexNode> rightConditions = new ArrayList<>();
        CorrelationToInput toInput = new CorrelationToInput(id, left.getRowType(), leftCount);
        for (RexNode c : RelOptUtil.conjunctions(inner.getCondition())) {
            if (RexUtil.containsCorrelation(c)) {
                RexNode rewritten = c.accept(toInput);
                if (toInput.failed) {
                    return null;
                }
                joinConditions.add(rewritten);
            } else {
                rightConditions.add(c);
            }
        }
        if (joinConditions.isEmpty()) {
            return null;
        }
        if (!rightConditions.isEmpty()) {
            right = LogicalFilter.create(right, RexUtil.composeConjunction(rex, rightConditions));
        }
        right = right.accept(this);
        return LogicalJoin.create(left, right, List.of(), RexUtil.composeConjunction(rex, joinConditions),
                Set.of(), negated ? JoinRelType.ANTI : JoinRelType.SEMI);
    }

    private RelNode in(RelNode left, RexSubQuery subQuery) {
        if (!RelOptUtil.getVariablesUsed(subQuery.rel).isEmpty()) {
            return null;
        }
        RelNode right = subQuery.rel.accept(this);
        int leftCount = left.getRowType().getFieldCount();
        RexBuilder rex = left.getCluster().getRexBuilder();
        List<RelDataType> rightTypes = right.getRowType().getFieldList().stream().map(f -> f.getType()).toList();
        List<RexNode> conditions = new ArrayList<>();
        for (int i = 0; i < subQuery.getOperands().size(); i++) {
            conditions.add(rex.makeCall(SqlStdOperatorTable.EQUALS, subQuery.getOperands().get(i),
                    new RexInputRef(leftCount + i, rightTypes.get(i))));
        }
        return LogicalJoin.create(left, right, List.of(), RexUtil.composeConjunction(rex, conditions), Set.of(),
                JoinRelType.SEMI);
    }

    /**
     * Rewrites a condition of the sub-query's filter into a join condition: the sub-query's own
     * fields move right by the outer row's width, {@code $cor.field} becomes the outer field.
     */
    private static final class CorrelationToInput extends RexShuttle {
        private final CorrelationId id;
        private final RelDataType outerType;
        private final int shift;
        boolean failed;

        CorrelationToInput(CorrelationId id, RelDataType outerType, int shift) {
            this.id = id;
            this.outerType = outerType;
            this.shift = shift;
        }

        @Override
        public RexNode visitInputRef(RexInputRef ref) {
            return new RexInputRef(ref.getIndex() + shift, ref.getType());
        }

        @Override
        public RexNode visitFieldAccess(RexFieldAccess access) {
            if (access.getReferenceExpr() instanceof RexCorrelVariable v && v.id.equals(id)) {
                int index = access.getField().getIndex();
                if (!v.getType().getFieldList().equals(outerType.getFieldList())) {
                    failed = true;
                    return access;
                }
                return new RexInputRef(index, access.getType());
            }
            return super.visitFieldAccess(access);
        }

        @Override
        public RexNode visitCorrelVariable(RexCorrelVariable variable) {
            failed = true;
            return variable;
        }
    }
}
