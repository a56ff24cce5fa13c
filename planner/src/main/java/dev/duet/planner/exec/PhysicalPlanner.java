package dev.duet.planner.exec;

import dev.duet.columnstore.ZonePredicate;
import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.planner.catalog.DuetTable;
import dev.duet.planner.exec.expr.CompiledExpression;
import dev.duet.planner.exec.expr.ExpressionCompiler;
import dev.duet.planner.exec.join.JoinKey;
import dev.duet.planner.exec.join.JoinType;
import dev.duet.planner.exec.join.SetOperationSpec;
import dev.duet.planner.exec.ops.AggregateKind;
import dev.duet.planner.exec.ops.AggregateSpec;
import dev.duet.planner.exec.ops.SortKey;
import dev.duet.planner.exec.plan.AggregateNode;
import dev.duet.planner.exec.plan.FilterNode;
import dev.duet.planner.exec.plan.JoinNode;
import dev.duet.planner.exec.plan.LimitBound;
import dev.duet.planner.exec.plan.PlanNode;
import dev.duet.planner.exec.plan.ProjectNode;
import dev.duet.planner.exec.plan.SetOperationNode;
import dev.duet.planner.exec.plan.SharedNode;
import dev.duet.planner.exec.plan.SharedScopeNode;
import dev.duet.planner.exec.plan.SortNode;
import dev.duet.planner.exec.plan.TableScanNode;
import dev.duet.planner.exec.plan.ValuesNode;
import dev.duet.planner.types.TypeMapping;
import dev.duet.rowstore.Transaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Intersect;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Minus;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.SetOp;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlExplainLevel;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Turns an optimized logical plan ({@link dev.duet.planner.PlannedQuery#plan()}) into a physical
 * plan of {@link PlanNode}s. Handles TableScan (a row-store scan of only the columns the plan
 * above uses), Filter, Project (a Filter right below a Project is fused into it), Values,
 * Aggregate (hash aggregation; grouping sets fail with 0A000), Join (a hash join on the equi-join
 * conjuncts, cast to one type where their types differ, with the rest as residual — after pulling
 * conjuncts shared by every branch of an OR out of it; a nested-loop join without equi-join
 * conjuncts; every join puts the input estimated smaller on the build side, a semi or anti join
 * whose left input is the smaller one as RIGHT_SEMI or RIGHT_ANTI), Sort (sort, top-N or limit)
 * and Union / Intersect / Minus. Any other node fails with 0A000 naming it.
 *
 * <p>A sub-plan that aggregates or joins and occurs more than once in the plan (a view or CTE
 * read twice, as TPC-H q15's {@code revenue}) is planned once, with all its
 * fields, as a {@link SharedNode} that each place reads; the plan's root is then a
 * {@link SharedScopeNode}, which keeps the shared results for one execution. Sub-plans are the
 * same when their Calcite digests (the sub-plan written out) are.
 *
 * <p>Statement parameters ({@code RexDynamicParam}, in expressions, LIMIT and OFFSET) are left in
 * the plan and read from the {@link QueryContext} each time the plan's operators are created, so a
 * plan is made once per prepared statement and run with any parameter values.
 *
 * <p>Each node is planned for the fields its parent needs: {@link #plan(RelNode, ImmutableBitSet)}
 * returns the node and where each needed field of the logical node is among its columns. The
 * root's columns are exactly the logical plan's fields, in order.
 */
public final class PhysicalPlanner {
    /** False: filters on keys are not turned into key lookups (a session routed to the column store). */
    private final boolean keyAccess;

    /**
     * How often each sub-plan (by its digest, {@link #digest}) that aggregates or joins occurs in
     * the plan being planned, counting those inside a repeated one once: more than once makes it
     * a {@link SharedNode}.
     */
    private final Map<String, Integer> occurrences = new HashMap<>();
    /** Whether any count in {@link #occurrences} is above one. */
    private boolean anyRepeated;
    /** The shared sub-plans planned so far, by digest. */
    private final Map<String, Planned> shared = new HashMap<>();

    private PhysicalPlanner(boolean keyAccess) {
        this.keyAccess = keyAccess;
    }

    /** The physical plan of {@code rel}; 0A000 if it contains a node the executor cannot run yet. */
    public static PlanNode plan(RelNode rel) {
        return plan(rel, true);
    }

    /**
     * As {@link #plan(RelNode)}; without {@code keyAccess}, filters on primary-key or indexed
     * columns stay filters over full scans instead of becoming key lookups (which only the row
     * store serves), as a session with {@code duet.route = column} asks.
     */
    public static PlanNode plan(RelNode rel, boolean keyAccess) {
        Objects.requireNonNull(rel, "rel is null");
        int n = rel.getRowType().getFieldCount();
        PhysicalPlanner planner = new PhysicalPlanner(keyAccess);
        planner.countOccurrences(rel);
        Planned p = planner.plan(rel, ImmutableBitSet.range(n));
        return planner.shared.isEmpty() ? root(rel, p) : new SharedScopeNode(root(rel, p));
    }

    /** {@code p}'s node with exactly {@code rel}'s fields, in order. */
    private static PlanNode root(RelNode rel, Planned p) {
        int n = rel.getRowType().getFieldCount();
        boolean identity = p.node.columns().size() == n;
        for (int i = 0; i < n && identity; i++) {
            identity = p.fieldToColumn[i] == i;
        }
        if (identity) {
            return p.node;
        }
        // Reorder (or drop) columns so that the root has exactly the plan's fields.
        List<CompiledExpression> refs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        RexBuilder rexBuilder = rel.getCluster().getRexBuilder();
        for (int i = 0; i < n; i++) {
            RelDataTypeField f = rel.getRowType().getFieldList().get(i);
            refs.add(ExpressionCompiler.compile(rexBuilder.makeInputRef(f.getType(), p.fieldToColumn[i]),
                    p.node.columns(), rexBuilder));
            names.add(f.getName());
        }
        return new ProjectNode(p.node, refs, names, null);
    }

    /** Plans {@code rel} and creates its operator tree for one execution (see {@link PlanNode#createOperator}). */
    public static Operator plan(RelNode rel, QueryContext context, Transaction transaction) {
        return PlanNode.instantiate(plan(rel), context, transaction);
    }

    /**
     * A physical node for a logical one, producing (at least) the needed fields:
     * {@code fieldToColumn[f]} is the column of {@code node} holding field {@code f}, -1 if absent.
     */
    private record Planned(PlanNode node, int[] fieldToColumn) {
    }

    // ---------------------------------------------------------------- shared sub-plans

    /**
     * Counts the sub-plans of {@code rel} that aggregate or join into {@link #occurrences}; one
     * seen before is not entered again (its insides are planned once, with it).
     */
    private void countOccurrences(RelNode rel) {
        if (worthSharing(rel)) {
            int seen = occurrences.merge(digest(rel), 1, Integer::sum);
            if (seen > 1) {
                anyRepeated = true;
                return;
            }
        }
        for (RelNode input : rel.getInputs()) {
            countOccurrences(input);
        }
    }

    /** Whether running {@code rel} twice costs enough to keep its result instead: it aggregates or joins. */
    private static boolean worthSharing(RelNode rel) {
        if (rel instanceof Aggregate || rel instanceof Join) {
            return true;
        }
        for (RelNode input : rel.getInputs()) {
            if (worthSharing(input)) {
                return true;
            }
        }
        return false;
    }

    /** {@code rel}'s whole sub-plan as text: equal for sub-plans that compute the same rows. */
    private static String digest(RelNode rel) {
        return RelOptUtil.toString(rel, SqlExplainLevel.DIGEST_ATTRIBUTES);
    }

    /**
     * {@code rel} planned once for every place that reads it, with all its fields, as a
     * {@link SharedNode}; null if it occurs once.
     */
    private Planned sharedPlan(RelNode rel) {
        if (!anyRepeated || !worthSharing(rel)) {
            return null;
        }
        String digest = digest(rel);
        int readers = occurrences.getOrDefault(digest, 0);
        if (readers < 2) {
            return null;
        }
        Planned done = shared.get(digest);
        if (done == null) {
            Planned p = planUnshared(rel, ImmutableBitSet.range(rel.getRowType().getFieldCount()));
            done = new Planned(new SharedNode(p.node, shared.size() + 1, readers), p.fieldToColumn);
            shared.put(digest, done);
        }
        return done;
    }

    private Planned plan(RelNode rel, ImmutableBitSet needed) {
        Planned sharedPlan = sharedPlan(rel);
        return sharedPlan != null ? sharedPlan : planUnshared(rel, needed);
    }

    private Planned planUnshared(RelNode rel, ImmutableBitSet needed) {
        if (rel instanceof TableScan scan) {
            return scan(scan, needed);
        }
        if (needed.isEmpty() && rel.getRowType().getFieldCount() > 0) {
            // operators other than the scan keep at least one column, so batches carry their row count
            needed = ImmutableBitSet.of(0);
        }
        if (rel instanceof Project project) {
            return project(project, needed);
        }
        if (rel instanceof Filter filter) {
            return filter(filter, needed);
        }
        if (rel instanceof Values values) {
            return values(values);
        }
        if (rel instanceof Aggregate aggregate) {
            return aggregate(aggregate);
        }
        if (rel instanceof Join join) {
            return join(join, needed);
        }
        if (rel instanceof Sort sort) {
            return sort(sort, needed);
        }
        if (rel instanceof SetOp setOp) {
            return setOperation(setOp, needed);
        }
        throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED,
                "%s is not supported by the executor yet", rel.getRelTypeName());
    }

    /**
     * Plans {@code input} of a filter on {@code condition}: a table scan right below it gets the
     * condition's zone predicates (row groups a column-store scan may skip).
     */
    private Planned filtered(RelNode input, ImmutableBitSet needed, RexNode condition) {
        if (input instanceof TableScan scan && scan.getTable().unwrap(DuetTable.class) != null) {
            TableDef def = scan.getTable().unwrap(DuetTable.class).tableDef();
            return scan(scan, needed, ZonePredicates.of(condition, def, scan.getCluster().getRexBuilder()));
        }
        return plan(input, needed);
    }

    private Planned scan(TableScan scan, ImmutableBitSet needed) {
        return scan(scan, needed, List.of());
    }

    private Planned scan(TableScan scan, ImmutableBitSet needed, List<ZonePredicate> zonePredicates) {
        DuetTable table = scan.getTable().unwrap(DuetTable.class);
        if (table == null) {
            throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED, "scan of %s is not supported by the executor",
                    scan.getTable().getQualifiedName());
        }
        TableDef def = table.tableDef();
        int[] columns = needed.toArray();
        int[] map = new int[scan.getRowType().getFieldCount()];
        Arrays.fill(map, -1);
        for (int j = 0; j < columns.length; j++) {
            map[columns[j]] = j;
        }
        return new Planned(new TableScanNode(def, columns, zonePredicates), map);
    }

    private Planned filter(Filter filter, ImmutableBitSet needed) {
        RexNode condition = filter.getCondition();
        KeyAccessPlanner.Access key = keyAccess ? KeyAccessPlanner.plan(filter.getInput(), condition, needed) : null;
        if (key != null) {
            return new Planned(key.node(), key.fieldToColumn());
        }
        Planned in = filtered(filter.getInput(), needed.union(RelOptUtil.InputFinder.bits(condition)), condition);
        CompiledExpression c = compile(filter, condition, in);
        return new Planned(new FilterNode(in.node, c), in.fieldToColumn);
    }

    private Planned project(Project project, ImmutableBitSet needed) {
        List<RexNode> exprs = project.getProjects();
        ImmutableBitSet used = RelOptUtil.InputFinder.bits(needed.asList().stream().map(exprs::get).toList(), null);
        RexNode condition = null;
        RelNode below = project.getInput();
        if (below instanceof Filter f) {
            condition = f.getCondition();
            below = f.getInput();
            used = used.union(RelOptUtil.InputFinder.bits(condition));
        }
        KeyAccessPlanner.Access key = condition == null || !keyAccess ? null : KeyAccessPlanner.plan(below, condition, used);
        Planned in = key != null ? new Planned(key.node(), key.fieldToColumn())
                : condition != null ? filtered(below, used, condition) : plan(below, used);
        CompiledExpression filter = condition == null || key != null ? null : compile(project, condition, in);
        List<CompiledExpression> compiled = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int[] map = new int[exprs.size()];
        Arrays.fill(map, -1);
        for (int field : needed) {
            map[field] = compiled.size();
            compiled.add(compile(project, exprs.get(field), in));
            names.add(project.getRowType().getFieldList().get(field).getName());
        }
        return new Planned(new ProjectNode(in.node, compiled, names, filter), map);
    }

    // ---------------------------------------------------------------- aggregate

    private Planned aggregate(Aggregate aggregate) {
        if (aggregate.getGroupType() != Aggregate.Group.SIMPLE) {
            throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED,
                    "GROUPING SETS, ROLLUP and CUBE are not supported by the executor yet");
        }
        ImmutableBitSet.Builder used = aggregate.getGroupSet().rebuild();
        for (AggregateCall call : aggregate.getAggCallList()) {
            used.addAll(call.getArgList());
            if (call.filterArg >= 0) {
                used.set(call.filterArg);
            }
        }
        Planned in = plan(aggregate.getInput(), used.build());
        List<Integer> keys = new ArrayList<>();
        for (int k : aggregate.getGroupSet()) {
            keys.add(in.fieldToColumn[k]);
        }
        int groupCount = keys.size();
        List<RelDataTypeField> fields = aggregate.getRowType().getFieldList();
        List<dev.duet.planner.exec.ops.AggregateCall> calls = new ArrayList<>();
        // Calcite aggregates the operator has no kind for, finished by a project over its output:
        // $SUM0 is COALESCE(SUM(x), 0), LITERAL_AGG(v) is the constant v.
        RexNode[] finish = new RexNode[fields.size()];
        boolean needsFinish = false;
        RexBuilder rex = aggregate.getCluster().getRexBuilder();
        for (int i = 0; i < aggregate.getAggCallList().size(); i++) {
            AggregateCall call = aggregate.getAggCallList().get(i);
            RelDataTypeField field = fields.get(groupCount + i);
            int filter = call.filterArg >= 0 ? in.fieldToColumn[call.filterArg] : -1;
            if (call.getAggregation().getKind() == SqlKind.LITERAL_AGG) {
                finish[groupCount + i] = call.rexList.get(0);
                needsFinish = true;
                continue;
            }
            AggregateKind kind = aggregateKind(call);
            if (kind != AggregateKind.COUNT_STAR && call.getArgList().size() != 1) {
                throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED,
                        "%s with %d arguments is not supported by the executor yet",
                        call.getAggregation().getName(), call.getArgList().size());
            }
            int argument = kind == AggregateKind.COUNT_STAR ? -1 : in.fieldToColumn[call.getArgList().get(0)];
            if (call.getAggregation().getKind() == SqlKind.SUM0) {
                RexNode sum = rex.makeInputRef(rex.getTypeFactory().createTypeWithNullability(field.getType(), true),
                        groupCount + calls.size());
                finish[groupCount + i] = rex.makeCall(SqlStdOperatorTable.COALESCE, sum,
                        rex.makeZeroLiteral(field.getType()));
                needsFinish = true;
            } else {
                finish[groupCount + i] = rex.makeInputRef(field.getType(), groupCount + calls.size());
            }
            calls.add(new dev.duet.planner.exec.ops.AggregateCall(kind, argument, call.isDistinct(), filter,
                    field.getName(), TypeMapping.toDataType(field.getType())));
        }
        PlanNode node = new AggregateNode(in.node, new AggregateSpec(keys, calls));
        int[] map = new int[fields.size()];
        Arrays.setAll(map, i -> i);
        if (!needsFinish) {
            return new Planned(node, map);
        }
        List<CompiledExpression> projections = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            RexNode e = i < groupCount ? rex.makeInputRef(fields.get(i).getType(), i) : finish[i];
            projections.add(ExpressionCompiler.compile(e, node.columns(), rex));
            names.add(fields.get(i).getName());
        }
        return new Planned(new ProjectNode(node, projections, names, null), map);
    }

    private static AggregateKind aggregateKind(AggregateCall call) {
        SqlKind kind = call.getAggregation().getKind();
        switch (kind) {
            case COUNT:
                if (call.getArgList().isEmpty()) {
                    return AggregateKind.COUNT_STAR;
                }
                return AggregateKind.COUNT;
            case SUM:
            case SUM0:
                return AggregateKind.SUM;
            case AVG:
                return AggregateKind.AVG;
            case MIN:
            case ANY_VALUE:
                // EVERY and BOOL_AND are MIN of a boolean in Calcite; any value may be the least
                return AggregateKind.MIN;
            case MAX:
                return AggregateKind.MAX;
            case STDDEV_SAMP:
                return AggregateKind.STDDEV_SAMP;
            case STDDEV_POP:
                return AggregateKind.STDDEV_POP;
            case VAR_SAMP:
                return AggregateKind.VAR_SAMP;
            case VAR_POP:
                return AggregateKind.VAR_POP;
            case SINGLE_VALUE:
                return AggregateKind.SINGLE_VALUE;
            default:
                break;
        }
        switch (call.getAggregation().getName().toUpperCase(java.util.Locale.ROOT)) {
            case "BOOL_AND":
            case "EVERY":
                return AggregateKind.BOOL_AND;
            case "BOOL_OR":
            case "SOME":
                return AggregateKind.BOOL_OR;
            default:
                throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED,
                        "aggregate function %s is not supported by the executor yet", call.getAggregation().getName());
        }
    }

    // ---------------------------------------------------------------- join

    private Planned join(Join join, ImmutableBitSet needed) {
        JoinType type = switch (join.getJoinType()) {
            case INNER -> JoinType.INNER;
            case LEFT -> JoinType.LEFT;
            case RIGHT -> JoinType.RIGHT;
            case FULL -> JoinType.FULL;
            case SEMI -> JoinType.SEMI;
            case ANTI -> JoinType.ANTI;
            default -> throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED,
                    "%s join is not supported by the executor yet", join.getJoinType());
        };
        RexBuilder rex = join.getCluster().getRexBuilder();
        int leftCount = join.getLeft().getRowType().getFieldCount();
        int total = leftCount + join.getRight().getRowType().getFieldCount();
        // Equi-join conjuncts (left expression = right expression) become hash keys, the rest the residual.
        List<RexNode> leftKeys = new ArrayList<>();
        List<RexNode> rightKeys = new ArrayList<>();
        List<RexNode> rest = new ArrayList<>();
        // Conjuncts over one input that can filter it before the join: those whose failing rows
        // could only ever be unmatched, and unmatched rows of that side are not kept.
        boolean filterLeft = type == JoinType.INNER || type == JoinType.SEMI || type == JoinType.RIGHT;
        boolean filterRight = type == JoinType.INNER || type == JoinType.SEMI || type == JoinType.ANTI
                || type == JoinType.LEFT;
        List<RexNode> leftOnly = new ArrayList<>();
        List<RexNode> rightOnly = new ArrayList<>();
        // OR of ANDs sharing a conjunct (TPC-H q19's "p_partkey = l_partkey AND ... OR ..."): pull
        // the shared conjuncts out, so that an equi-join key becomes visible.
        RexNode factored = RexUtil.pullFactors(rex, join.getCondition());
        for (RexNode c : RelOptUtil.conjunctions(factored)) {
            if (c.isAlwaysTrue()) {
                continue;
            }
            ImmutableBitSet bits = RelOptUtil.InputFinder.bits(c);
            if (!bits.isEmpty() && filterLeft && bits.nextSetBit(leftCount) < 0) {
                leftOnly.add(c);
                continue;
            }
            if (!bits.isEmpty() && filterRight && bits.nextSetBit(0) >= leftCount) {
                rightOnly.add(RexUtil.shift(c, -leftCount));
                continue;
            }
            if (c.getKind() == SqlKind.EQUALS) {
                RexNode a = ((RexCall) c).getOperands().get(0);
                RexNode b = ((RexCall) c).getOperands().get(1);
                ImmutableBitSet ba = RelOptUtil.InputFinder.bits(a);
                ImmutableBitSet bb = RelOptUtil.InputFinder.bits(b);
                ImmutableBitSet leftSide = ImmutableBitSet.range(leftCount);
                ImmutableBitSet rightSide = ImmutableBitSet.range(leftCount, total);
                RexNode l = null;
                RexNode r = null;
                if (!ba.isEmpty() && !bb.isEmpty() && leftSide.contains(ba) && rightSide.contains(bb)) {
                    l = a;
                    r = b;
                } else if (!ba.isEmpty() && !bb.isEmpty() && leftSide.contains(bb) && rightSide.contains(ba)) {
                    l = b;
                    r = a;
                }
                RelDataType common = l == null ? null : keyType(rex, l.getType(), r.getType());
                if (common != null) {
                    leftKeys.add(castKey(rex, l, common));
                    rightKeys.add(castKey(rex, RexUtil.shift(r, -leftCount), common));
                    continue;
                }
            }
            rest.add(c);
        }
        RexNode residual = rest.isEmpty() ? null : RexUtil.composeConjunction(rex, rest);
        ImmutableBitSet all = residual == null ? needed : needed.union(RelOptUtil.InputFinder.bits(residual));
        ImmutableBitSet.Builder leftNeeded = ImmutableBitSet.builder();
        ImmutableBitSet.Builder rightNeeded = ImmutableBitSet.builder();
        for (int f : all) {
            if (f < leftCount) {
                leftNeeded.set(f);
            } else {
                rightNeeded.set(f - leftCount);
            }
        }
        leftKeys.forEach(k -> leftNeeded.addAll(RelOptUtil.InputFinder.bits(k)));
        rightKeys.forEach(k -> rightNeeded.addAll(RelOptUtil.InputFinder.bits(k)));
        leftOnly.forEach(c -> leftNeeded.addAll(RelOptUtil.InputFinder.bits(c)));
        rightOnly.forEach(c -> rightNeeded.addAll(RelOptUtil.InputFinder.bits(c)));
        Planned leftInput = filtered(join.getLeft(), plan(join.getLeft(), leftNeeded.build()), leftOnly);
        Planned rightInput = filtered(join.getRight(), plan(join.getRight(), rightNeeded.build()), rightOnly);
        Keyed leftKeyed = withKeys(join.getLeft(), leftInput, leftKeys);
        Keyed rightKeyed = withKeys(join.getRight(), rightInput, rightKeys);
        Planned left = leftKeyed.planned;
        Planned right = rightKeyed.planned;

        // The right input is buffered: put the smaller one there (every join type can be mirrored).
        RelMetadataQuery mq = join.getCluster().getMetadataQuery();
        Double leftRows = mq.getRowCount(join.getLeft());
        Double rightRows = mq.getRowCount(join.getRight());
        boolean swap = leftRows != null && rightRows != null && leftRows < rightRows;
        Planned probe = swap ? right : left;
        Planned build = swap ? left : right;
        JoinType physicalType = !swap ? type : switch (type) {
            case LEFT -> JoinType.RIGHT;
            case RIGHT -> JoinType.LEFT;
            case SEMI -> JoinType.RIGHT_SEMI;
            case ANTI -> JoinType.RIGHT_ANTI;
            default -> type;
        };
        int probeWidth = probe.node.columns().size();
        int[] map = new int[total];
        for (int f = 0; f < total; f++) {
            int column = f < leftCount ? left.fieldToColumn[f] : right.fieldToColumn[f - leftCount];
            boolean onProbe = (f < leftCount) != swap;
            map[f] = column < 0 ? -1 : onProbe ? column : probeWidth + column;
        }
        List<JoinKey> keys = new ArrayList<>();
        for (int k = 0; k < leftKeys.size(); k++) {
            int l = leftKeyed.keyColumns[k];
            int r = rightKeyed.keyColumns[k];
            keys.add(swap ? new JoinKey(r, l) : new JoinKey(l, r));
        }
        CompiledExpression condition = null;
        if (residual != null) {
            int[] candidate = map;
            RexNode remapped = residual.accept(new RexShuttle() {
                @Override
                public RexNode visitInputRef(RexInputRef ref) {
                    return new RexInputRef(candidate[ref.getIndex()], ref.getType());
                }
            });
            condition = ExpressionCompiler.compile(remapped, JoinNode.candidateColumns(probe.node, build.node), rex);
        }
        Double buildRows = swap ? leftRows : rightRows;
        long estimate = buildRows == null || buildRows.isInfinite() ? -1 : (long) Math.ceil(buildRows);
        if (type.outputsRight()) {
            // Produce only the columns the consumer reads: the keys, mostly, are left out.
            int width = probeWidth + build.node.columns().size();
            boolean[] read = new boolean[width];
            for (int f : needed) {
                if (map[f] >= 0) {
                    read[map[f]] = true;
                }
            }
            if (keys.isEmpty()) {
                Arrays.fill(read, true); // a nested-loop join produces all its columns
            }
            boolean any = false;
            for (boolean r : read) {
                any |= r;
            }
            read[0] |= !any; // at least one column, to carry the row count
            int[] position = new int[width];
            int kept = 0;
            for (int c = 0; c < width; c++) {
                position[c] = read[c] ? kept++ : -1;
            }
            int[] outputs = null;
            if (kept < width) {
                outputs = new int[kept];
                for (int c = 0; c < width; c++) {
                    if (read[c]) {
                        outputs[position[c]] = c;
                    }
                }
                for (int f = 0; f < total; f++) {
                    map[f] = map[f] < 0 ? -1 : position[map[f]];
                }
            }
            return new Planned(new JoinNode(probe.node, build.node, physicalType, keys, condition, estimate, outputs), map);
        }
        JoinNode node = new JoinNode(probe.node, build.node, physicalType, keys, condition, estimate);
        int[] out = Arrays.copyOf(map, leftCount);
        if (swap) {
            // RIGHT_SEMI / RIGHT_ANTI output the build side's columns alone
            for (int f = 0; f < leftCount; f++) {
                out[f] = out[f] < 0 ? -1 : out[f] - probeWidth;
            }
        }
        return new Planned(node, out);
    }

    /** {@code in} with the rows for which all {@code conditions} (over {@code rel}'s fields) are TRUE. */
    private static Planned filtered(RelNode rel, Planned in, List<RexNode> conditions) {
        if (conditions.isEmpty()) {
            return in;
        }
        RexNode condition = RexUtil.composeConjunction(rel.getCluster().getRexBuilder(), conditions);
        return new Planned(new FilterNode(in.node, compile(rel, condition, in)), in.fieldToColumn);
    }

    /** The type both sides of an equi-join key are compared in, or null if they cannot be hashed alike. */
    private static RelDataType keyType(RexBuilder rex, RelDataType left, RelDataType right) {
        DataType l = TypeMapping.toDataTypeOrNull(left);
        DataType r = TypeMapping.toDataTypeOrNull(right);
        if (l == null || r == null) {
            return null;
        }
        if (l.kind() == r.kind() && l.scale() == r.scale()) {
            return left;
        }
        RelDataType common = rex.getTypeFactory().leastRestrictive(List.of(left, right));
        return common == null || TypeMapping.toDataTypeOrNull(common) == null ? null : common;
    }

    private static RexNode castKey(RexBuilder rex, RexNode key, RelDataType type) {
        DataType have = TypeMapping.toDataType(key.getType());
        DataType want = TypeMapping.toDataType(type);
        if (have.kind() == want.kind() && have.scale() == want.scale()) {
            return key;
        }
        return rex.makeCast(rex.getTypeFactory().createTypeWithNullability(type, key.getType().isNullable()), key);
    }

    /** A join input and the columns holding its join keys' values. */
    private record Keyed(Planned planned, int[] keyColumns) {
    }

    /**
     * {@code in} and where its join keys are: a key that is a plain field is that field's column;
     * computed keys (casts, expressions) are appended as columns by a project that passes every
     * other column through (the vectors themselves).
     */
    private static Keyed withKeys(RelNode rel, Planned in, List<RexNode> keys) {
        int[] keyColumns = new int[keys.size()];
        List<Integer> computed = new ArrayList<>();
        for (int k = 0; k < keys.size(); k++) {
            if (keys.get(k) instanceof RexInputRef ref) {
                keyColumns[k] = in.fieldToColumn[ref.getIndex()];
            } else {
                computed.add(k);
            }
        }
        if (computed.isEmpty()) {
            return new Keyed(in, keyColumns);
        }
        RexBuilder rex = rel.getCluster().getRexBuilder();
        List<BatchColumn> columns = in.node.columns();
        List<CompiledExpression> projections = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            BatchColumn column = columns.get(c);
            projections.add(ExpressionCompiler.compile(rex.makeInputRef(
                    TypeMapping.toRelDataType(rex.getTypeFactory(), column.type(), column.nullable()), c), columns, rex));
            names.add(column.name());
        }
        for (int k : computed) {
            keyColumns[k] = projections.size();
            projections.add(compile(rel, keys.get(k), in));
            names.add("$key" + k);
        }
        return new Keyed(new Planned(new ProjectNode(in.node, projections, names, null), in.fieldToColumn), keyColumns);
    }

    // ---------------------------------------------------------------- sort

    private Planned sort(Sort sort, ImmutableBitSet needed) {
        List<RelFieldCollation> collations = sort.getCollation().getFieldCollations();
        ImmutableBitSet.Builder used = needed.rebuild();
        collations.forEach(c -> used.set(c.getFieldIndex()));
        Planned in = plan(sort.getInput(), used.build());
        if (collations.isEmpty() && sort.fetch == null && sort.offset == null) {
            return in;
        }
        List<SortKey> keys = new ArrayList<>();
        for (RelFieldCollation c : collations) {
            boolean descending = c.getDirection().isDescending();
            RelFieldCollation.NullDirection nulls = c.nullDirection == RelFieldCollation.NullDirection.UNSPECIFIED
                    ? c.getDirection().defaultNullDirection() : c.nullDirection;
            keys.add(new SortKey(in.fieldToColumn[c.getFieldIndex()], descending,
                    nulls == RelFieldCollation.NullDirection.FIRST));
        }
        return new Planned(new SortNode(in.node, keys, LimitBound.of(sort.fetch, false), LimitBound.of(sort.offset, true)),
                in.fieldToColumn);
    }

    // ---------------------------------------------------------------- set operations

    private Planned setOperation(SetOp setOp, ImmutableBitSet needed) {
        SetOperationSpec.Kind kind;
        if (setOp instanceof Union) {
            kind = SetOperationSpec.Kind.UNION;
        } else if (setOp instanceof Intersect) {
            kind = SetOperationSpec.Kind.INTERSECT;
        } else if (setOp instanceof Minus) {
            kind = SetOperationSpec.Kind.EXCEPT;
        } else {
            throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED, "%s is not supported by the executor yet",
                    setOp.getRelTypeName());
        }
        boolean unionAll = kind == SetOperationSpec.Kind.UNION && setOp.all;
        // only UNION ALL can drop columns: the others compare whole rows
        int n = setOp.getRowType().getFieldCount();
        List<Integer> fields = (unionAll ? needed : ImmutableBitSet.range(n)).asList();
        List<RelDataTypeField> types = setOp.getRowType().getFieldList();
        List<PlanNode> inputs = new ArrayList<>();
        for (RelNode input : setOp.getInputs()) {
            Planned p = plan(input, ImmutableBitSet.of(fields));
            inputs.add(exactly(input, p, fields, fields.stream().map(f -> types.get(f).getType()).toList()));
        }
        int[] map = new int[n];
        Arrays.fill(map, -1);
        for (int i = 0; i < fields.size(); i++) {
            map[fields.get(i)] = i;
        }
        Double rows = setOp.getCluster().getMetadataQuery().getRowCount(kind == SetOperationSpec.Kind.UNION
                ? setOp : setOp.getInput(0));
        long estimate = rows == null || rows.isInfinite() ? -1 : (long) Math.ceil(rows);
        return new Planned(new SetOperationNode(kind, setOp.all, inputs, estimate), map);
    }

    /**
     * {@code in} reduced to exactly {@code fields} of {@code rel}, in order, each of the kind (and
     * decimal scale) of {@code types}: casts and reorders with a project where needed.
     */
    private static PlanNode exactly(RelNode rel, Planned in, List<Integer> fields, List<RelDataType> types) {
        boolean identity = in.node.columns().size() == fields.size();
        for (int i = 0; i < fields.size() && identity; i++) {
            DataType have = in.node.columns().get(i).type();
            DataType want = TypeMapping.toDataType(types.get(i));
            identity = in.fieldToColumn[fields.get(i)] == i && have.kind() == want.kind() && have.scale() == want.scale();
        }
        if (identity) {
            return in.node;
        }
        RexBuilder rex = rel.getCluster().getRexBuilder();
        List<CompiledExpression> projections = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            RelDataTypeField f = rel.getRowType().getFieldList().get(fields.get(i));
            RexNode ref = rex.makeInputRef(f.getType(), fields.get(i));
            RelDataType target = rex.getTypeFactory().createTypeWithNullability(types.get(i), f.getType().isNullable());
            projections.add(compile(rel, castKey(rex, ref, target), in));
            names.add(f.getName());
        }
        return new ProjectNode(in.node, projections, names, null);
    }

    private Planned values(Values values) {
        List<RelDataTypeField> fields = values.getRowType().getFieldList();
        List<BatchColumn> columns = new ArrayList<>();
        for (RelDataTypeField f : fields) {
            columns.add(new BatchColumn(f.getName(), TypeMapping.toDataType(f.getType()), f.getType().isNullable()));
        }
        List<List<Object>> rows = new ArrayList<>();
        for (List<RexLiteral> tuple : values.getTuples()) {
            List<Object> row = new ArrayList<>(tuple.size());
            for (int c = 0; c < tuple.size(); c++) {
                DataType t = columns.get(c).type();
                row.add(ExpressionCompiler.literalValue(tuple.get(c), t));
            }
            rows.add(row);
        }
        int[] map = new int[fields.size()];
        Arrays.setAll(map, i -> i);
        return new Planned(new ValuesNode(columns, rows), map);
    }

    /** Compiles an expression of {@code rel}'s input over the columns of the planned input. */
    private static CompiledExpression compile(RelNode rel, RexNode expression, Planned in) {
        RexNode remapped = expression.accept(new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                int column = in.fieldToColumn[ref.getIndex()];
                if (column < 0) {
                    throw new IllegalStateException("field $" + ref.getIndex() + " was not planned for " + expression);
                }
                return new RexInputRef(column, ref.getType());
            }
        });
        return ExpressionCompiler.compile(remapped, in.node.columns(), rel.getCluster().getRexBuilder());
    }
}
