package dev.duet.planner.exec.plan;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.planner.exec.expr.ExpressionCompiler;
import dev.duet.planner.types.TypeMapping;
import java.math.BigDecimal;
import java.util.Objects;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;

/**
 * The row count of a LIMIT or OFFSET clause: a constant, or a statement parameter read when the
 * plan runs ({@code LIMIT ?}). As in PostgreSQL, a NULL limit means no limit and a NULL offset
 * none; a negative value fails with 2201W (LIMIT) or 2201X (OFFSET).
 */
public final class LimitBound {
    /** No limit. */
    public static final long ALL = Long.MAX_VALUE;

    private final boolean offset;
    private final Long constant;
    private final int parameter;
    private final DataType parameterType;

    private LimitBound(boolean offset, Long constant, int parameter, DataType parameterType) {
        this.offset = offset;
        this.constant = constant;
        this.parameter = parameter;
        this.parameterType = parameterType;
    }

    /**
     * The bound Calcite's {@code Sort.fetch} ({@code offset} false) or {@code Sort.offset}
     * ({@code offset} true) gives; {@code rex} null means none (no limit, offset 0).
     */
    public static LimitBound of(RexNode rex, boolean offset) {
        if (rex == null) {
            return new LimitBound(offset, offset ? 0L : ALL, -1, null);
        }
        if (rex instanceof RexLiteral literal) {
            BigDecimal v = literal.getValueAs(BigDecimal.class);
            return new LimitBound(offset, v == null ? (offset ? 0L : ALL) : check(offset, v.longValueExact()), -1, null);
        }
        if (rex instanceof RexDynamicParam param) {
            return new LimitBound(offset, null, param.getIndex(), TypeMapping.toDataType(param.getType()));
        }
        throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED, "%s %s is not supported", offset ? "OFFSET" : "LIMIT", rex);
    }

    /** Whether this is "no limit" (or offset 0) whatever the parameters. */
    public boolean isNone() {
        return constant != null && constant == (offset ? 0L : ALL);
    }

    /** The row count for one execution: {@link #ALL} for no limit. */
    public long value(QueryContext context) {
        if (constant != null) {
            return constant;
        }
        Object v = ExpressionCompiler.parameterValue(context, parameter, parameterType);
        if (v == null) {
            return offset ? 0 : ALL;
        }
        if (!(v instanceof Number n) || v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            throw DuetException.of(SqlState.DATATYPE_MISMATCH, "argument of %s must be an integer, got %s",
                    offset ? "OFFSET" : "LIMIT", v);
        }
        return check(offset, n.longValue());
    }

    private static long check(boolean offset, long v) {
        if (v < 0) {
            throw offset
                    ? new DuetException(SqlState.INVALID_ROW_COUNT_IN_RESULT_OFFSET_CLAUSE, "OFFSET must not be negative")
                    : new DuetException(SqlState.INVALID_ROW_COUNT_IN_LIMIT_CLAUSE, "LIMIT must not be negative");
        }
        return v;
    }

    @Override
    public String toString() {
        if (constant == null) {
            return "$" + (parameter + 1);
        }
        return constant == ALL ? "ALL" : constant.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LimitBound b && b.offset == offset && Objects.equals(b.constant, constant)
                && b.parameter == parameter;
    }

    @Override
    public int hashCode() {
        return Objects.hash(offset, constant, parameter);
    }
}
