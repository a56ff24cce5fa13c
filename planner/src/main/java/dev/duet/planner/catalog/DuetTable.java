package dev.duet.planner.catalog;

import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.IndexDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.planner.types.TypeMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.IntFunction;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql2rel.InitializerExpressionFactory;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * One Duet table as Calcite sees it: the row type (columns, types, nullability), the primary key
 * as a unique key, its secondary indexes (for the physical planner), an optional row count for join ordering, and column defaults for INSERT. The
 * executor finds the {@link TableDef} of a scan or modify again with
 * {@code relOptTable.unwrap(DuetTable.class).tableDef()}.
 */
public final class DuetTable extends AbstractTable {
    private final TableDef tableDef;
    private final List<IndexDef> indexes;
    private final Statistic statistic;
    private final ColumnDefaults defaults;
    private final IntFunction<OptionalDouble> distinctValues;
    /** Per column, the answer of {@link #distinctValues} once asked; null before. */
    private final OptionalDouble[] distinctCounts;

    public DuetTable(TableDef tableDef, OptionalDouble rowCount) {
        this(tableDef, rowCount, List.of());
    }

    /** @param indexes the table's secondary indexes (the physical planner may read through them) */
    public DuetTable(TableDef tableDef, OptionalDouble rowCount, List<IndexDef> indexes) {
        this(tableDef, rowCount, indexes, column -> OptionalDouble.empty());
    }

    /**
     * @param indexes        the table's secondary indexes (the physical planner may read through them)
     * @param distinctValues a column's number of distinct non-NULL values, if known (asked at most
     *     once per column, when the planner estimates an equality with a constant)
     */
    public DuetTable(TableDef tableDef, OptionalDouble rowCount, List<IndexDef> indexes,
            IntFunction<OptionalDouble> distinctValues) {
        this.distinctValues = Objects.requireNonNull(distinctValues, "distinctValues is null");
        this.distinctCounts = new OptionalDouble[tableDef.columns().size()];
        this.tableDef = Objects.requireNonNull(tableDef, "tableDef is null");
        this.indexes = List.copyOf(indexes);
        List<ImmutableBitSet> keys = new ArrayList<>();
        if (tableDef.hasPrimaryKey()) {
            keys.add(ImmutableBitSet.of(tableDef.primaryKey()));
        }
        this.statistic = Statistics.of(rowCount.isPresent() ? rowCount.getAsDouble() : null, keys, null, null);
        this.defaults = new ColumnDefaults(tableDef);
    }

    /**
     * Column {@code column}'s number of distinct non-NULL values, if known; asked of the source
     * once per column and remembered (threads planning at once may both ask: the answers are alike,
     * and a reference is written whole).
     */
    public OptionalDouble distinctValues(int column) {
        OptionalDouble known = distinctCounts[column];
        if (known == null) {
            known = distinctValues.apply(column);
            distinctCounts[column] = known;
        }
        return known;
    }

    /** The Duet definition this table stands for. */
    public TableDef tableDef() {
        return tableDef;
    }

    /** The table's secondary indexes, by id. */
    public List<IndexDef> indexes() {
        return indexes;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
        RelDataTypeFactory.Builder b = typeFactory.builder();
        for (ColumnDef c : tableDef.columns()) {
            b.add(c.name(), TypeMapping.toRelDataType(typeFactory, c.type(), !c.notNull()));
        }
        return b.build();
    }

    @Override
    public Statistic getStatistic() {
        return statistic;
    }

    @Override
    public <C> C unwrap(Class<C> aClass) {
        if (aClass.isInstance(defaults) && aClass == InitializerExpressionFactory.class) {
            return aClass.cast(defaults);
        }
        return super.unwrap(aClass);
    }

    @Override
    public String toString() {
        return "DuetTable(" + tableDef.qualifiedName() + ")";
    }
}
