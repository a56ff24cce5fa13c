package dev.duet.planner.catalog;

import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.planner.types.TypeMapping;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.ColumnStrategy;
import org.apache.calcite.sql2rel.InitializerContext;
import org.apache.calcite.sql2rel.NullInitializerExpressionFactory;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.TimestampString;

/**
 * Supplies the value of a column an INSERT leaves out: the column's constant default, else NULL.
 * A NOT NULL column without a default is reported by validation, as PostgreSQL reports the null
 * it would insert.
 */
final class ColumnDefaults extends NullInitializerExpressionFactory {
    private final TableDef tableDef;

    ColumnDefaults(TableDef tableDef) {
        this.tableDef = tableDef;
    }

    @Override
    public ColumnStrategy generationStrategy(RelOptTable table, int column) {
        ColumnDef c = tableDef.column(column);
        if (c.defaultValue() != null) {
            return ColumnStrategy.DEFAULT;
        }
        return c.notNull() ? ColumnStrategy.NOT_NULLABLE : ColumnStrategy.NULLABLE;
    }

    @Override
    public RexNode newColumnDefaultValue(RelOptTable table, int column, InitializerContext context) {
        ColumnDef c = tableDef.column(column);
        RexBuilder rex = context.getRexBuilder();
        RelDataType type = TypeMapping.toRelDataType(rex.getTypeFactory(), c.type(), !c.notNull());
        Object v = c.defaultValue();
        if (v == null) {
            return rex.makeNullLiteral(type);
        }
        RexNode literal = switch (c.type().kind()) {
            case BOOLEAN -> rex.makeLiteral((Boolean) v);
            case SMALLINT, INTEGER, BIGINT -> rex.makeExactLiteral(BigDecimal.valueOf(((Number) v).longValue()), type);
            case DECIMAL -> rex.makeExactLiteral((BigDecimal) v, type);
            case REAL, DOUBLE -> rex.makeApproxLiteral(new BigDecimal(v.toString()), type);
            case VARCHAR -> rex.makeLiteral((String) v, type, false);
            case DATE -> rex.makeDateLiteral(DateString.fromDaysSinceEpoch((int) ((LocalDate) v).toEpochDay()));
            case TIMESTAMP -> rex.makeTimestampLiteral(timestamp((LocalDateTime) v), type.getPrecision());
            case BYTEA -> rex.makeBinaryLiteral(new ByteString((byte[]) v));
        };
        return rex.ensureType(type, literal, false);
    }

    private static TimestampString timestamp(LocalDateTime t) {
        return new TimestampString(t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond()).withNanos(t.getNano());
    }
}
