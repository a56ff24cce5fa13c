package dev.duet.planner.convert;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.util.List;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.PruneEmptyRules;
import org.apache.calcite.rel.rules.PushProjector;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql2rel.RelDecorrelator;
import org.apache.calcite.sql2rel.RelFieldTrimmer;
import org.apache.calcite.tools.RelBuilder;

/**
 * Rewrites a converted logical plan into the form Duet's physical planner takes: sub-queries
 * turned into joins (EXISTS / NOT EXISTS / IN in WHERE into semi and anti joins by
 * {@link SemiJoinRewriter}, the rest via correlates and {@link RelDecorrelator}), filters pushed
 * into joins and below projects, semi joins below the joins they reduce (and filters implied by OR conditions across a join's inputs, see
 * {@link DisjunctionPushdown}), joins of a join tree ordered so that no join lacks a condition
 * when one can have one (Calcite's greedy {@code LoptOptimizeJoinRule} over row-count estimates,
 * see {@link DuetMetadataQuery}, with the equalities the conditions imply added first, see
 * {@link ImpliedJoinEqualities}), aggregates joined on a group key reduced to the groups the join
 * can use ({@link AggregateSemiJoinReduction}),
 * unused columns trimmed (a project's expressions stay above the joins below it),
 * constants folded, projects merged, window functions moved into
 * {@code LogicalWindow}s. Fails with 0A000 if a correlation survives: the executor has no
 * nested-loop apply.
 *
 * <p>Constant folding uses Calcite's default {@code RexExecutor} (through {@link ConstantFolding}),
 * which compiles each reduced expression with Janino (a few ms per statement); an own folder is a
 * later optimisation.
 */
public final class LogicalOptimizer {
    /**
     * Rule applications per phase at most: a guard against rules that undo each other on some
     * plan shape (the plan stays correct, only less optimized). TPC-H needs a few hundred.
     */
    private static final int MATCH_LIMIT = 20_000;

    private static final HepProgram SUB_QUERIES_TO_CORRELATES = program(HepMatchOrder.DEPTH_FIRST, List.of(
            CoreRules.FILTER_SUB_QUERY_TO_CORRELATE,
            CoreRules.PROJECT_SUB_QUERY_TO_CORRELATE,
            CoreRules.JOIN_SUB_QUERY_TO_CORRELATE));

    private static final List<RelOptRule> PUSH_DOWN_RULES = List.of(
            CoreRules.FILTER_REDUCE_EXPRESSIONS,
            CoreRules.PROJECT_REDUCE_EXPRESSIONS,
            CoreRules.JOIN_REDUCE_EXPRESSIONS,
            CoreRules.FILTER_MERGE,
            CoreRules.FILTER_INTO_JOIN,
            CoreRules.JOIN_CONDITION_PUSH,
            CoreRules.JOIN_PUSH_EXPRESSIONS,
            CoreRules.FILTER_PROJECT_TRANSPOSE,
            CoreRules.FILTER_AGGREGATE_TRANSPOSE,
            CoreRules.FILTER_SET_OP_TRANSPOSE,
            CoreRules.PROJECT_MERGE,
            CoreRules.PROJECT_REMOVE,
            CoreRules.AGGREGATE_PROJECT_MERGE,
            CoreRules.UNION_MERGE,
            PruneEmptyRules.FILTER_INSTANCE,
            PruneEmptyRules.PROJECT_INSTANCE,
            PruneEmptyRules.AGGREGATE_INSTANCE,
            PruneEmptyRules.JOIN_LEFT_INSTANCE,
            PruneEmptyRules.JOIN_RIGHT_INSTANCE,
            PruneEmptyRules.SORT_INSTANCE,
            PruneEmptyRules.UNION_INSTANCE);

    private static final HepProgram PUSH_DOWN = program(HepMatchOrder.DEPTH_FIRST, PUSH_DOWN_RULES);

    /** Semi joins moved below projects and below the joins they reduce (see {@link SemiJoinPushdown}). */
    private static final HepProgram SEMI_JOINS = program(HepMatchOrder.DEPTH_FIRST, List.of(
            CoreRules.SEMI_JOIN_PROJECT_TRANSPOSE,
            CoreRules.SEMI_JOIN_FILTER_TRANSPOSE,
            SemiJoinPushdown.INSTANCE));

    /** Greedy join ordering over each tree of inner (and outer) joins, avoiding cross products. */
    private static final HepProgram JOIN_ORDER = HepProgram.builder()
            .addMatchLimit(MATCH_LIMIT)
            .addMatchOrder(HepMatchOrder.BOTTOM_UP)
            .addRuleCollection(List.of(
                    CoreRules.JOIN_TO_MULTI_JOIN,
                    CoreRules.PROJECT_MULTI_JOIN_MERGE,
                    CoreRules.FILTER_MULTI_JOIN_MERGE))
            .addRuleInstance(CoreRules.MULTI_JOIN_OPTIMIZE)
            .build();

    /**
     * Narrows a join's inputs to the fields a project above it reads, but leaves the project's
     * expressions above the join (Calcite's default pushes them below): the joins of analytic
     * queries mostly drop rows (foreign keys to filtered dimensions), so an expression computed
     * after them runs on far fewer rows. TPC-H q5 computed {@code l_extendedprice * (1 -
     * l_discount)} for all 6 million line items to sum 7 thousand of them.
     */
    private static final RelOptRule PROJECT_FIELDS_BELOW_JOIN = CoreRules.PROJECT_JOIN_TRANSPOSE.config
            .withPreserveExprCondition(PushProjector.ExprCondition.FALSE)
            .toRule();

    private static final HepProgram CLEANUP = program(HepMatchOrder.DEPTH_FIRST, List.of(
            CoreRules.FILTER_MERGE,
            CoreRules.FILTER_PROJECT_TRANSPOSE,
            CoreRules.FILTER_INTO_JOIN,
            CoreRules.JOIN_CONDITION_PUSH,
            CoreRules.PROJECT_MERGE,
            CoreRules.PROJECT_REMOVE,
            CoreRules.AGGREGATE_PROJECT_MERGE,
            PROJECT_FIELDS_BELOW_JOIN));

    /** Window functions leave their projects for {@code LogicalWindow}s, which the window operator runs. */
    private static final HepProgram WINDOWS = HepProgram.builder()
            .addMatchLimit(MATCH_LIMIT)
            .addRuleInstance(CoreRules.PROJECT_TO_LOGICAL_PROJECT_AND_WINDOW)
            .addRuleCollection(List.of(CoreRules.PROJECT_MERGE, CoreRules.PROJECT_REMOVE))
            .build();

    private LogicalOptimizer() {
    }

    /** The optimized form of {@code rel}; its row type is unchanged. */
    public static RelNode optimize(RelNode rel, RelBuilder relBuilder) {
        RelNode r = rel.accept(new SemiJoinRewriter());
        r = run(SUB_QUERIES_TO_CORRELATES, r);
        r = RelDecorrelator.decorrelateQuery(r, relBuilder);
        requireNoCorrelation(r);
        r = run(PUSH_DOWN, r);
        RelNode derived = DisjunctionPushdown.apply(r);
        if (derived != r) {
            // the derived filters sit on join inputs: push them on down to the scans
            r = run(PUSH_DOWN, derived);
        }
        r = run(SEMI_JOINS, r);
        r = ImpliedJoinEqualities.apply(r);
        r = run(JOIN_ORDER, r);
        r = AggregateSemiJoinReduction.apply(r);
        r = new RelFieldTrimmer(null, relBuilder).trim(r);
        r = run(CLEANUP, r);
        r = run(WINDOWS, r);
        LiteralCasts.check(r);
        return r;
    }

    private static RelNode run(HepProgram program, RelNode rel) {
        HepPlanner planner = new HepPlanner(program);
        planner.setRoot(rel);
        return planner.findBestExp();
    }

    private static HepProgram program(HepMatchOrder order, List<RelOptRule> rules) {
        return HepProgram.builder().addMatchLimit(MATCH_LIMIT).addMatchOrder(order).addRuleCollection(rules).build();
    }

    /** 0A000 if a correlate or sub-query is left: the executor cannot run them. */
    static void requireNoCorrelation(RelNode rel) {
        new RelVisitor() {
            @Override
            public void visit(RelNode node, int ordinal, RelNode parent) {
                if (node instanceof Correlate) {
                    throw unsupported();
                }
                node.accept(new RexShuttle() {
                    @Override
                    public RexNode visitSubQuery(RexSubQuery subQuery) {
                        throw unsupported();
                    }

                    @Override
                    public RexNode visitCorrelVariable(RexCorrelVariable variable) {
                        throw unsupported();
                    }
                });
                super.visit(node, ordinal, parent);
            }
        }.go(rel);
    }

    private static DuetException unsupported() {
        return new DuetException(SqlState.FEATURE_NOT_SUPPORTED,
                "this correlated sub-query cannot be rewritten as a join, which Duet requires");
    }
}
