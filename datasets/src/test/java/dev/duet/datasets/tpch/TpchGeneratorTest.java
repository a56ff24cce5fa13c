package dev.duet.datasets.tpch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.duet.core.DuetException;
import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.core.types.Values;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The generator's rows against the reference text of {@code io.trino.tpch}, and the schema. */
class TpchGeneratorTest {
    private static final double SF = 0.01;

    static Iterable<String> tables() {
        return TpchSchema.TABLE_NAMES;
    }

    /**
     * Every row, parsed back from the library's {@code dbgen}-format line ({@code a|b|...|}), equals
     * ours value by value; and every value is already canonical for its column (coercion is a no-op).
     */
    @ParameterizedTest
    @MethodSource("tables")
    void rowsMatchTheReferenceText(String table) {
        TableDef t = TpchSchema.table(table);
        Iterator<? extends TpchEntity> reference = TpchTable.getTable(table).createGenerator(SF, 1, 1).iterator();
        long n = 0;
        for (Object[] row : TpchGenerator.rows(table, SF)) {
            assertTrue(reference.hasNext(), table + ": more rows than the reference");
            String line = reference.next().toLine();
            String[] fields = line.split("\\|", -1);
            assertEquals(t.columnCount() + 1, fields.length, line); // the line ends with '|'
            assertEquals(t.columnCount(), row.length);
            for (int c = 0; c < row.length; c++) {
                ColumnDef col = t.column(c);
                Object expected = parse(col.type(), fields[c]);
                boolean same = col.type().kind() == DataType.Kind.DECIMAL
                        ? ((BigDecimal) expected).compareTo((BigDecimal) row[c]) == 0
                        : expected.equals(row[c]);
                if (!same) {
                    fail(table + " row " + n + " column " + col.name() + ": reference " + fields[c] + ", ours " + row[c]);
                }
                Object canonical = Values.coerce(col.type(), row[c], col.name());
                assertEquals(row[c], canonical, col.name());
                if (row[c] instanceof BigDecimal d) {
                    assertEquals(2, d.scale(), col.name());
                }
            }
            n++;
        }
        assertFalse(reference.hasNext(), table + ": fewer rows than the reference");
    }

    private static Object parse(DataType type, String text) {
        return switch (type.kind()) {
            case BIGINT -> Long.parseLong(text);
            case INTEGER -> Integer.parseInt(text);
            case DECIMAL -> new BigDecimal(text);
            case DATE -> LocalDate.parse(text);
            case VARCHAR -> text;
            default -> throw new AssertionError(type);
        };
    }

    @Test
    void partsTogetherAreTheWholeTable() {
        for (String table : List.of("lineitem", "partsupp", "nation")) {
            List<Object[]> whole = new ArrayList<>();
            TpchGenerator.rows(table, SF).forEach(whole::add);
            List<Object[]> parts = new ArrayList<>();
            for (int p = 1; p <= 3; p++) {
                TpchGenerator.rows(table, SF, p, 3).forEach(parts::add);
            }
            assertEquals(whole.size(), parts.size(), table);
            for (int i = 0; i < whole.size(); i++) {
                assertArrayEquals(whole.get(i), parts.get(i), table + " row " + i);
            }
        }
    }

    @Test
    void generationIsRepeatable() {
        Iterator<Object[]> a = TpchGenerator.rows("orders", SF).iterator();
        Iterator<Object[]> b = TpchGenerator.rows("orders", SF).iterator();
        for (int i = 0; i < 1000; i++) {
            assertArrayEquals(a.next(), b.next());
        }
    }

    @Test
    void schemaHasTheSpecificationsShape() {
        assertEquals(List.of("region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"),
                TpchSchema.tables().stream().map(TableDef::name).toList());
        int[] columns = {3, 4, 7, 8, 9, 5, 9, 16};
        for (int i = 0; i < columns.length; i++) {
            TableDef t = TpchSchema.tables().get(i);
            assertEquals("public", t.schema());
            assertEquals(columns[i], t.columnCount(), t.name());
            assertTrue(t.columns().stream().allMatch(ColumnDef::notNull), t.name());
            assertEquals(t.columns().stream().map(ColumnDef::name).toList(),
                    TpchTable.getTable(t.name()).getColumns().stream().map(c -> c.getColumnName()).toList());
        }
        assertEquals(List.of("l_orderkey", "l_linenumber"), TpchSchema.primaryKeyColumns(TpchSchema.table("lineitem")));
        assertEquals(List.of("ps_partkey", "ps_suppkey"), TpchSchema.primaryKeyColumns(TpchSchema.table("partsupp")));
        assertEquals("CREATE TABLE region (r_regionkey BIGINT NOT NULL, r_name VARCHAR(25) NOT NULL, "
                + "r_comment VARCHAR(152) NOT NULL, PRIMARY KEY (r_regionkey))",
                TpchSchema.createTableSql(TpchSchema.table("region")));
        assertEquals("CREATE TABLE region (r_regionkey BIGINT NOT NULL, r_name VARCHAR(25) NOT NULL, "
                + "r_comment VARCHAR(152) NOT NULL)", TpchSchema.createTableSql(TpchSchema.table("region"), false));
        assertEquals("ALTER TABLE partsupp ADD PRIMARY KEY (ps_partkey, ps_suppkey)",
                TpchSchema.addPrimaryKeySql(TpchSchema.table("partsupp")));
        assertTrue(TpchSchema.createTableStatements().get(7).contains("l_extendedprice DECIMAL(15,2) NOT NULL, "));
        assertTrue(TpchSchema.createTableStatements().get(7).endsWith("PRIMARY KEY (l_orderkey, l_linenumber))"));
        assertEquals("42P01", assertThrows(DuetException.class, () -> TpchSchema.table("lineitems")).sqlState());
        assertEquals("22023", assertThrows(DuetException.class, () -> TpchGenerator.rows("orders", SF, 4, 3)).sqlState());
    }
}
