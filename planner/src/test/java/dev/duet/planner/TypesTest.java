package dev.duet.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.catalog.Catalog;
import dev.duet.core.types.DataType;
import dev.duet.planner.types.DuetTypeSystem;
import dev.duet.planner.types.TypeMapping;
import java.util.List;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

/** Duet's types in Calcite and back, and the result types of arithmetic and aggregates. */
class TypesTest {
    private static final RelDataTypeFactory FACTORY = new JavaTypeFactoryImpl(DuetTypeSystem.INSTANCE);
    private static final Catalog CATALOG = TestTables.catalog();
    private static final SqlFrontEnd FRONT_END = new SqlFrontEnd();

    @Test
    void everyDuetTypeRoundTrips() {
        for (DataType t : List.of(DataType.BOOLEAN, DataType.SMALLINT, DataType.INTEGER, DataType.BIGINT,
                DataType.REAL, DataType.DOUBLE, DataType.decimal(1, 0), DataType.decimal(15, 2),
                DataType.decimal(38, 38), DataType.varchar(1), DataType.varchar(100_000), DataType.TEXT,
                DataType.DATE, DataType.TIMESTAMP, DataType.BYTEA)) {
            for (boolean nullable : new boolean[] {true, false}) {
                RelDataType r = TypeMapping.toRelDataType(FACTORY, t, nullable);
                assertEquals(nullable, r.isNullable());
                assertEquals(t, TypeMapping.toDataType(r), r.getFullTypeString());
            }
        }
    }

    @Test
    void calciteTypesDuetStores() {
        assertEquals(SqlTypeName.TIMESTAMP, TypeMapping.toRelDataType(FACTORY, DataType.TIMESTAMP, true).getSqlTypeName());
        assertEquals(6, TypeMapping.toRelDataType(FACTORY, DataType.TIMESTAMP, true).getPrecision());
        assertEquals(SqlTypeName.VARBINARY, TypeMapping.toRelDataType(FACTORY, DataType.BYTEA, true).getSqlTypeName());
        assertEquals(DataType.varchar(3), TypeMapping.toDataType(FACTORY.createSqlType(SqlTypeName.CHAR, 3)));
        assertEquals(DataType.DOUBLE, TypeMapping.toDataType(FACTORY.createSqlType(SqlTypeName.FLOAT)));
        assertEquals(DataType.TEXT, TypeMapping.toDataType(FACTORY.createSqlType(SqlTypeName.NULL)));
    }

    @Test
    void typesDuetLacksFailWith0A000() {
        for (SqlTypeName name : List.of(SqlTypeName.TIME, SqlTypeName.TINYINT, SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE,
                SqlTypeName.INTERVAL_DAY, SqlTypeName.SYMBOL)) {
            RelDataType t = name.allowsPrecNoScale() || name == SqlTypeName.INTERVAL_DAY ? null : FACTORY.createSqlType(name);
            if (t == null) {
                continue;
            }
            assertNull(TypeMapping.toDataTypeOrNull(t));
            DuetException e = assertThrows(DuetException.class, () -> TypeMapping.toDataType(t));
            assertEquals("0A000", e.sqlState());
        }
    }

    private static List<DataType> types(String sql) {
        return ((PlannedQuery) FRONT_END.planSingle(sql, CATALOG)).columnTypes();
    }

    @Test
    void sumWidensLikePostgreSqlAndDuckDb() {
        assertEquals(List.of(DataType.BIGINT, DataType.BIGINT, DataType.decimal(38, 0), DataType.decimal(38, 2),
                DataType.DOUBLE, DataType.DOUBLE), types("select sum(s), sum(id), sum(big), sum(amount), sum(r), sum(x) from t"));
    }

    @Test
    void averagesAndDeviationsAreDouble() {
        assertEquals(List.of(DataType.DOUBLE, DataType.DOUBLE, DataType.DOUBLE, DataType.DOUBLE, DataType.DOUBLE,
                DataType.DOUBLE), types("select avg(id), avg(big), avg(amount), avg(x), stddev(amount), var_pop(id) from t"));
    }

    @Test
    void divisionIsIntegerForIntegersAndDoubleWithDecimals() {
        assertEquals(List.of(DataType.INTEGER, DataType.BIGINT, DataType.DOUBLE, DataType.DOUBLE, DataType.DOUBLE),
                types("select id / 2, big / id, amount / 2, amount / amount, x / id from t"));
        PlannedQuery q = (PlannedQuery) FRONT_END.planSingle("select 7 / 2", CATALOG);
        assertTrue(q.explain().contains("3"), q.explain());
    }

    @Test
    void decimalArithmetic() {
        assertEquals(List.of(DataType.decimal(20, 4), DataType.decimal(11, 2), DataType.decimal(22, 2)),
                types("select amount * amount, amount + amount, amount + big from t"));
    }

    @Test
    void castsUsePostgreSqlDefaults() {
        assertEquals(List.of(DataType.decimal(18, 3), DataType.TIMESTAMP, DataType.TEXT, DataType.varchar(5),
                DataType.DOUBLE, DataType.REAL, DataType.BYTEA, DataType.BOOLEAN, DataType.BIGINT),
                types("select id::numeric, d::timestamp, id::text, name::varchar(5), x::float, x::float4, "
                        + "name::bytea, 'true'::bool, id::int8 from t"));
    }

    @Test
    void stringsOfDifferentLengthsAreVarcharNotPaddedChar() {
        assertEquals(List.of(DataType.varchar(5)),
                types("select case when id > 1 then 'a' else 'bbbbb' end from t"));
        assertEquals(List.of(DataType.varchar(3)), types("select 'a' union select 'bcd'"));
    }

    @Test
    void extractIsBigintAndDateTruncTimestamp() {
        assertEquals(List.of(DataType.BIGINT, DataType.TIMESTAMP, DataType.TIMESTAMP, DataType.DATE),
                types("select extract(year from d), date_trunc('month', d), date_trunc('hour', ts), date('2020-01-01') from t"));
    }

    @Test
    void caretIsPowerAsInPostgreSql() {
        PlannedQuery q = (PlannedQuery) FRONT_END.planSingle("select 2 ^ 3, x ^ 2 from t", CATALOG);
        assertEquals(List.of(DataType.DOUBLE, DataType.DOUBLE), q.columnTypes());
        assertTrue(q.explain().contains("8.0E0") && q.explain().contains("POWER"), q.explain());
    }

    @Test
    void nowIsCurrentTimestampWithMicroseconds() {
        PlannedQuery q = (PlannedQuery) FRONT_END.planSingle("select now()", CATALOG);
        assertEquals(List.of(DataType.TIMESTAMP), q.columnTypes());
        assertTrue(q.explain().contains("CURRENT_TIMESTAMP(6)"), q.explain());
        assertFalse(q.columns().get(0).nullable());
    }
}
