package dev.duet.planner.exec;

import dev.duet.core.DuetException;
import dev.duet.core.catalog.IndexDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.core.types.Values;
import dev.duet.planner.catalog.DuetTable;
import dev.duet.planner.exec.expr.ExpressionCompiler;
import dev.duet.planner.exec.plan.FilterNode;
import dev.duet.planner.exec.plan.KeyScanNode;
import dev.duet.planner.exec.plan.KeyScanNode.Bound;
import dev.duet.planner.exec.plan.PlanNode;
import dev.duet.planner.types.TypeMapping;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUnknownAs;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.ImmutableBitSet;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Sarg;
import org.apache.calcite.util.TimestampString;
import org.apache.calcite.avatica.util.ByteString;
import com.google.common.collect.BoundType;
import com.google.common.collect.Range;

/**
 * Chooses how to read a table under a filter: through the primary key, through a secondary
 * index, or (null) by a full scan.
 *
 * <p>The conjuncts of the condition that compare a column with a constant or a statement
 * parameter ({@code =}, IN lists, OR of equalities, {@code < <= > >=}, ranges Calcite folded into
 * SEARCH) are matched to key columns in key order: equality/IN on a prefix of the key, then
 * optionally a range on the next column. The rule is:
 * <ol>
 * <li>the primary key, if at least its first column is constrained (a point lookup for a complete
 *     key, otherwise ordered range scans); the conjuncts it uses are dropped from the filter, the
 *     rest stay in a filter above the scan;
 * <li>otherwise the secondary index with the most leading columns under equality/IN (ranges on
 *     index columns are not used; the first index by id wins a tie), the conjuncts it uses
 *     dropped as for the primary key;
 * <li>otherwise nothing: a full scan with the filter.
 * </ol>
 * Only values that convert exactly to the column's type are used (a literal {@code 2.5} for an
 * integer key equals nothing; as a range bound it is left to the filter); parameters must have
 * the column's type or a narrower integer type. REAL/DOUBLE key columns are not used. The cross
 * product of IN lists is capped at {@link #MAX_POINTS} keys: past it the remaining columns are
 * left to the filter.
 */
public final class KeyAccessPlanner {
    /** Most keys the IN lists of several key columns may multiply into. */
    static final int MAX_POINTS = 4096;

    /**
     * An access path: the plan (a key scan, under a filter for what the key does not decide) and
     * where each field of the table is among its columns (-1: not read).
     */
    public record Access(PlanNode node, int[] fieldToColumn) {
    }

    private KeyAccessPlanner() {
    }

    /**
     * The access path for rows of {@code input} satisfying {@code condition} when {@code input} is
     * a row-store table scan and the condition constrains a key; null otherwise. The plan reads
     * at least the fields in {@code needed}.
     */
    public static Access plan(RelNode input, RexNode condition, ImmutableBitSet needed) {
        if (!(input instanceof TableScan scan)) {
            return null;
        }
        DuetTable duet = scan.getTable().unwrap(DuetTable.class);
        if (duet == null) {
            return null;
        }
        TableDef table = duet.tableDef();
        List<RexNode> conjuncts = RelOptUtil.conjunctions(condition);
        Map<Integer, ColumnPredicates> byColumn = new HashMap<>();
        for (RexNode c : conjuncts) {
            classify(table, c, byColumn);
        }
        if (byColumn.isEmpty()) {
            return null;
        }
        KeyChoice choice = null;
        if (table.hasPrimaryKey()) {
            choice = choose(table, null, table.primaryKey(), byColumn, true);
        }
        if (choice == null) {
            for (IndexDef index : duet.indexes()) {
                KeyChoice c = choose(table, index, index.columns(), byColumn, false);
                if (c != null && (choice == null || c.points.size() > choice.points.size())) {
                    choice = c;
                }
            }
        }
        if (choice == null) {
            return null;
        }
        List<RexNode> residual = new ArrayList<>();
        for (RexNode c : conjuncts) {
            if (!choice.used.contains(c)) {
                residual.add(c);
            }
        }
        RexBuilder rexBuilder = scan.getCluster().getRexBuilder();
        RexNode rest = residual.isEmpty() ? null : RexUtil.composeConjunction(rexBuilder, residual);
        int[] columns = (rest == null ? needed : needed.union(RelOptUtil.InputFinder.bits(rest))).toArray();
        int[] map = new int[table.columnCount()];
        Arrays.fill(map, -1);
        for (int j = 0; j < columns.length; j++) {
            map[columns[j]] = j;
        }
        PlanNode node = new KeyScanNode(table, choice.index, columns, choice.points,
                choice.low, choice.lowInclusive, choice.high, choice.highInclusive);
        if (rest != null) {
            RexNode remapped = rest.accept(new RexShuttle() {
                @Override
                public RexNode visitInputRef(RexInputRef ref) {
                    return new RexInputRef(map[ref.getIndex()], ref.getType());
                }
            });
            node = new FilterNode(node, ExpressionCompiler.compile(remapped, node.columns(), rexBuilder));
        }
        return new Access(node, map);
    }

    /** What the conjuncts say about one column. */
    private static final class ColumnPredicates {
        List<Bound> points;
        RexNode pointsFrom;
        Bound low;
        boolean lowInclusive;
        RexNode lowFrom;
        Bound high;
        boolean highInclusive;
        RexNode highFrom;

        void pointsIfAbsent(List<Bound> values, RexNode from) {
            if (points == null) {
                points = values;
                pointsFrom = from;
            }
        }
    }

    /** The key predicates chosen and the conjuncts they came from. */
    private record KeyChoice(IndexDef index, List<List<Bound>> points, Bound low, boolean lowInclusive, Bound high,
            boolean highInclusive, List<RexNode> used) {
    }

    private static KeyChoice choose(TableDef table, IndexDef index, int[] keyColumns,
            Map<Integer, ColumnPredicates> byColumn, boolean ranges) {
        List<List<Bound>> points = new ArrayList<>();
        List<RexNode> used = new ArrayList<>();
        long combinations = 1;
        int k = 0;
        for (; k < keyColumns.length; k++) {
            ColumnPredicates p = byColumn.get(keyColumns[k]);
            if (p == null || p.points == null || combinations * Math.max(1, p.points.size()) > MAX_POINTS) {
                break;
            }
            combinations *= Math.max(1, p.points.size());
            points.add(p.points);
            used.add(p.pointsFrom);
        }
        ColumnPredicates range = ranges && k < keyColumns.length ? byColumn.get(keyColumns[k]) : null;
        if (range != null && (range.low != null || range.high != null)) {
            if (range.low != null) {
                used.add(range.lowFrom);
            }
            if (range.high != null) {
                used.add(range.highFrom);
            }
            return new KeyChoice(index, points, range.low, range.lowInclusive, range.high, range.highInclusive, used);
        }
        return points.isEmpty() ? null : new KeyChoice(index, points, null, false, null, false, used);
    }

    /** Records what conjunct {@code c} says about a column, if it is a usable key predicate. */
    private static void classify(TableDef table, RexNode c, Map<Integer, ColumnPredicates> byColumn) {
        if (!(c instanceof RexCall call)) {
            return;
        }
        switch (call.getKind()) {
            case EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> comparison(table, call, byColumn);
            case SEARCH -> search(table, call, byColumn);
            case OR -> equalities(table, call, byColumn);
            default -> {
            }
        }
    }

    private static void comparison(TableDef table, RexCall call, Map<Integer, ColumnPredicates> byColumn) {
        RexNode a = column(call.getOperands().get(0));
        RexNode b = call.getOperands().get(1);
        SqlKind kind = call.getKind();
        if (a == null) {
            a = column(b);
            b = call.getOperands().get(0);
            kind = kind.reverse();
        }
        if (!(a instanceof RexInputRef ref)) {
            return;
        }
        DataType type = keyType(table, ref.getIndex());
        Object value = type == null ? null : value(b, type);
        if (value == null) {
            return;
        }
        ColumnPredicates p = byColumn.computeIfAbsent(ref.getIndex(), i -> new ColumnPredicates());
        if (value == NO_MATCH) {
            if (kind == SqlKind.EQUALS) {
                p.pointsIfAbsent(List.of(), call); // equals nothing
            }
            return;
        }
        Bound v = (Bound) value;
        switch (kind) {
            case EQUALS -> {
                if (p.points == null) {
                    p.points = List.of(v);
                    p.pointsFrom = call;
                }
            }
            case GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
                if (p.low == null) {
                    p.low = v;
                    p.lowInclusive = kind == SqlKind.GREATER_THAN_OR_EQUAL;
                    p.lowFrom = call;
                }
            }
            default -> {
                if (p.high == null) {
                    p.high = v;
                    p.highInclusive = kind == SqlKind.LESS_THAN_OR_EQUAL;
                    p.highFrom = call;
                }
            }
        }
    }

    /** {@code x = v1 OR x = v2 ...}: an IN list with parameters (Calcite folds constant ones into SEARCH). */
    private static void equalities(TableDef table, RexCall or, Map<Integer, ColumnPredicates> byColumn) {
        Integer column = null;
        List<Bound> values = new ArrayList<>();
        for (RexNode d : or.getOperands()) {
            if (!(d instanceof RexCall eq) || eq.getKind() != SqlKind.EQUALS) {
                return;
            }
            RexNode a = column(eq.getOperands().get(0));
            RexNode b = eq.getOperands().get(1);
            if (a == null) {
                a = column(b);
                b = eq.getOperands().get(0);
            }
            if (!(a instanceof RexInputRef ref) || column != null && column != ref.getIndex()) {
                return;
            }
            column = ref.getIndex();
            DataType type = keyType(table, column);
            Object v = type == null ? null : value(b, type);
            if (v == null) {
                return;
            }
            if (v != NO_MATCH) {
                values.add((Bound) v);
            }
        }
        if (column != null) {
            byColumn.computeIfAbsent(column, i -> new ColumnPredicates()).pointsIfAbsent(values, or);
        }
    }

    private static void search(TableDef table, RexCall call, Map<Integer, ColumnPredicates> byColumn) {
        RexInputRef ref = column(call.getOperands().get(0));
        if (ref == null || !(call.getOperands().get(1) instanceof RexLiteral literal)) {
            return;
        }
        DataType type = keyType(table, ref.getIndex());
        Sarg<?> sarg = literal.getValueAs(Sarg.class);
        if (type == null || sarg == null || sarg.nullAs == RexUnknownAs.TRUE) {
            return;
        }
        ColumnPredicates p = byColumn.computeIfAbsent(ref.getIndex(), i -> new ColumnPredicates());
        if (sarg.isPoints()) {
            List<Bound> values = new ArrayList<>();
            for (Range<?> r : sarg.rangeSet.asRanges()) {
                Object v = convert(r.lowerEndpoint(), type);
                if (v == null) {
                    return;
                }
                if (v != NO_MATCH) {
                    values.add(Bound.constant(v, type));
                }
            }
            p.pointsIfAbsent(values, call);
            return;
        }
        if (sarg.rangeSet.asRanges().size() != 1 || p.low != null || p.high != null) {
            return;
        }
        Range<?> r = sarg.rangeSet.asRanges().iterator().next();
        Bound low = null;
        Bound high = null;
        if (r.hasLowerBound()) {
            Object v = convert(r.lowerEndpoint(), type);
            if (v == null || v == NO_MATCH) {
                return;
            }
            low = Bound.constant(v, type);
        }
        if (r.hasUpperBound()) {
            Object v = convert(r.upperEndpoint(), type);
            if (v == null || v == NO_MATCH) {
                return;
            }
            high = Bound.constant(v, type);
        }
        p.low = low;
        p.lowInclusive = low != null && r.lowerBoundType() == BoundType.CLOSED;
        p.lowFrom = call;
        p.high = high;
        p.highInclusive = high != null && r.upperBoundType() == BoundType.CLOSED;
        p.highFrom = call;
    }

    /**
     * The column {@code e} is: a column reference, or a cast of one that keeps every value (Calcite
     * widens a column to compare it with a wider literal: {@code CAST(id AS DECIMAL(20, 1)) = 2.5},
     * {@code CAST(code AS VARCHAR(7)) = 'toolong'}); null otherwise.
     */
    private static RexInputRef column(RexNode e) {
        if (e instanceof RexInputRef ref) {
            return ref;
        }
        if (e.getKind() == SqlKind.CAST && ((RexCall) e).getOperands().get(0) instanceof RexInputRef ref) {
            DataType from = TypeMapping.toDataTypeOrNull(ref.getType());
            DataType to = TypeMapping.toDataTypeOrNull(e.getType());
            return from != null && to != null && widens(from, to) ? ref : null;
        }
        return null;
    }

    /** True if every value of {@code from} is a value of {@code to}, compared the same way. */
    private static boolean widens(DataType from, DataType to) {
        if (from.kind() == DataType.Kind.VARCHAR) {
            return to.kind() == DataType.Kind.VARCHAR
                    && (to.length() == DataType.UNBOUNDED || from.length() != DataType.UNBOUNDED && to.length() >= from.length());
        }
        int fromWidth = integerWidth(from.kind());
        if (fromWidth > 0 && integerWidth(to.kind()) > 0) {
            return integerWidth(to.kind()) >= fromWidth;
        }
        int fromDigits = fromWidth > 0 ? (fromWidth == 2 ? 5 : fromWidth == 4 ? 10 : 19)
                : from.kind() == DataType.Kind.DECIMAL ? from.precision() - from.scale() : -1;
        int fromScale = from.kind() == DataType.Kind.DECIMAL ? from.scale() : 0;
        return fromDigits >= 0 && to.kind() == DataType.Kind.DECIMAL && to.scale() >= fromScale
                && to.precision() - to.scale() >= fromDigits;
    }

    /** A value that no key of the column's type equals (e.g. 2.5 for an integer column). */
    private static final Object NO_MATCH = new Object();

    /** The key column type of table column {@code column}, or null if it is not usable as a key (REAL/DOUBLE). */
    private static DataType keyType(TableDef table, int column) {
        DataType t = table.column(column).type();
        return t.kind() == DataType.Kind.REAL || t.kind() == DataType.Kind.DOUBLE ? null : t;
    }

    /** A {@link Bound} for {@code e} compared with a column of {@code type}, {@link #NO_MATCH}, or null if unusable. */
    private static Object value(RexNode e, DataType type) {
        if (e instanceof RexLiteral literal) {
            if (literal.isNull()) {
                return null;
            }
            Object v = convert(literal.getValue(), type);
            return v == null || v == NO_MATCH ? v : Bound.constant(v, type);
        }
        if (e instanceof RexDynamicParam param) {
            DataType p = TypeMapping.toDataTypeOrNull(param.getType());
            return p != null && parameterFits(p, type) ? Bound.parameter(param.getIndex(), type) : null;
        }
        return null;
    }

    /** True if every value of parameter type {@code p} converts exactly to key type {@code type}. */
    private static boolean parameterFits(DataType p, DataType type) {
        return switch (type.kind()) {
            case SMALLINT, INTEGER, BIGINT -> integerWidth(p.kind()) > 0 && integerWidth(p.kind()) <= integerWidth(type.kind());
            case DECIMAL -> p.kind() == DataType.Kind.DECIMAL && p.scale() == type.scale() && p.precision() <= type.precision();
            default -> p.kind() == type.kind();
        };
    }

    private static int integerWidth(DataType.Kind k) {
        return switch (k) {
            case SMALLINT -> 2;
            case INTEGER -> 4;
            case BIGINT -> 8;
            default -> 0;
        };
    }

    /**
     * A Calcite literal value as the canonical value of {@code type}; {@link #NO_MATCH} if it is of
     * a comparable kind but no value of the type equals it; null if it is of another kind.
     */
    private static Object convert(Object v, DataType type) {
        switch (type.kind()) {
            case SMALLINT, INTEGER, BIGINT, DECIMAL -> {
                BigDecimal d = v instanceof BigDecimal b ? b : v instanceof Number n ? new BigDecimal(n.toString()) : null;
                if (d == null) {
                    return null;
                }
                try {
                    Object c = Values.coerce(type, d, null);
                    return new BigDecimal(c.toString()).compareTo(d) == 0 ? c : NO_MATCH;
                } catch (DuetException e) {
                    return NO_MATCH; // out of the type's range, or more digits than it keeps
                }
            }
            case VARCHAR -> {
                return v instanceof NlsString s ? s.getValue() : v instanceof String s ? s : null;
            }
            case BOOLEAN -> {
                return v instanceof Boolean ? v : null;
            }
            case DATE -> {
                return v instanceof DateString d ? LocalDate.ofEpochDay(d.getDaysSinceEpoch()) : null;
            }
            case TIMESTAMP -> {
                if (!(v instanceof TimestampString t)) {
                    return null;
                }
                LocalDateTime x = LocalDateTime.parse(t.toString().replace(' ', 'T'));
                Object c = Values.coerce(type, x, null);
                return c.equals(x) ? c : NO_MATCH;
            }
            case BYTEA -> {
                return v instanceof ByteString b ? b.getBytes() : null;
            }
            default -> {
                return null;
            }
        }
    }
}
