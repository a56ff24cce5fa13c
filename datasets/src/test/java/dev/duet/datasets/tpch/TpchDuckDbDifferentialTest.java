package dev.duet.datasets.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.duet.core.DuetException;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.engine.Duet;
import dev.duet.rowstore.Row;
import dev.duet.rowstore.Transaction;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TPC-H SF 0.01 loaded into Duet (through {@link TpchLoader}) and into DuckDB (through
 * {@link DuckDbTpch}) holds the same rows, value by value, and the row counts the TPC-H
 * specification gives for that scale factor. Loading a second time fails with 42P07 and changes
 * nothing.
 */
class TpchDuckDbDifferentialTest {
    private static final double SF = 0.01;
    /** TPC-H specification, clause 4.2.5, at SF 0.01 (lineitem as dbgen generates it). */
    private static final Map<String, Long> SPEC_COUNTS = specCounts();

    private static Duet duet;
    private static Connection duck;
    private static TpchLoader.Result duetLoad;
    private static Map<String, Long> duckCounts;

    private static Map<String, Long> specCounts() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("region", 5L);
        m.put("nation", 25L);
        m.put("supplier", 100L);
        m.put("customer", 1_500L);
        m.put("part", 2_000L);
        m.put("partsupp", 8_000L);
        m.put("orders", 15_000L);
        m.put("lineitem", 60_175L);
        return m;
    }

    @BeforeAll
    static void load() throws Exception {
        duet = Duet.inMemory();
        duetLoad = TpchLoader.load(duet, SF);
        duck = DriverManager.getConnection("jdbc:duckdb:");
        long start = System.nanoTime();
        duckCounts = DuckDbTpch.load(duck, SF);
        System.out.printf("TPC-H SF %s: Duet in-memory %d ms (%s), DuckDB %d ms%n", SF, duetLoad.elapsed().toMillis(),
                duetLoad.tableTimes(), (System.nanoTime() - start) / 1_000_000);
    }

    @AfterAll
    static void close() throws Exception {
        if (duck != null) {
            duck.close();
        }
        if (duet != null) {
            duet.close();
        }
    }

    @Test
    void rowCountsAreTheSpecifications() throws Exception {
        assertEquals(SPEC_COUNTS, duetLoad.rowCounts());
        assertEquals(SPEC_COUNTS, duckCounts);
        assertEquals(86_805L, duetLoad.totalRows());
        try (Transaction tx = duet.begin(true); Statement st = duck.createStatement()) {
            for (Map.Entry<String, Long> e : SPEC_COUNTS.entrySet()) {
                assertEquals(e.getValue(), tx.count(e.getKey()), e.getKey());
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + e.getKey())) {
                    assertTrue(rs.next());
                    assertEquals(e.getValue(), rs.getLong(1), e.getKey());
                }
            }
            // DuckDbTpch adds the keys after appending: they are there all the same.
            try (ResultSet rs = st.executeQuery("SELECT table_name, constraint_column_names FROM duckdb_constraints() "
                    + "WHERE constraint_type = 'PRIMARY KEY' ORDER BY table_name")) {
                Map<String, String> keys = new LinkedHashMap<>();
                while (rs.next()) {
                    keys.put(rs.getString(1), rs.getString(2));
                }
                assertEquals(8, keys.size(), keys.toString());
                assertEquals("[l_orderkey, l_linenumber]", keys.get("lineitem"));
            }
        }
    }

    static Iterable<String> tables() {
        return TpchSchema.TABLE_NAMES;
    }

    @ParameterizedTest
    @MethodSource("tables")
    void everyRowEqualsDuckDb(String table) throws Exception {
        TableDef t = TpchSchema.table(table);
        DataType[] types = t.columnTypes();
        String sql = "SELECT * FROM " + table + " ORDER BY " + String.join(", ", TpchSchema.primaryKeyColumns(t));
        long rows = 0;
        try (Transaction tx = duet.begin(true); Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertEquals(types.length, rs.getMetaData().getColumnCount());
            Iterator<Row> duetRows = tx.scan(table);
            while (rs.next()) {
                assertTrue(duetRows.hasNext(), table + ": Duet has fewer rows than DuckDB (" + rows + ")");
                Row row = duetRows.next();
                for (int c = 0; c < types.length; c++) {
                    Object expected = duckValue(rs, c + 1, types[c]);
                    Object actual = row.get(c);
                    if (!sameValue(types[c], expected, actual)) {
                        fail(String.format("%s row %d (%s) column %s: DuckDB %s, Duet %s", table, rows, row,
                                t.column(c).name(), expected, actual));
                    }
                }
                rows++;
            }
            assertFalse(duetRows.hasNext(), table + ": Duet has more rows than DuckDB (" + rows + ")");
        }
        assertEquals(SPEC_COUNTS.get(table), rows);
    }

    private static Object duckValue(ResultSet rs, int column, DataType type) throws Exception {
        Object v = switch (type.kind()) {
            case BIGINT -> rs.getLong(column);
            case INTEGER -> rs.getInt(column);
            case DECIMAL -> rs.getBigDecimal(column);
            case VARCHAR -> rs.getString(column);
            case DATE -> rs.getObject(column, LocalDate.class);
            default -> throw new AssertionError("TPC-H has no " + type + " column");
        };
        return rs.wasNull() ? null : v;
    }

    /** Same value and Duet's canonical Java type (DECIMALs compared numerically, scale as declared). */
    private static boolean sameValue(DataType type, Object expected, Object actual) {
        if (expected == null || actual == null) {
            return false; // every TPC-H column is NOT NULL
        }
        if (type.kind() == DataType.Kind.DECIMAL) {
            return actual instanceof BigDecimal a && a.scale() == type.scale()
                    && a.compareTo((BigDecimal) expected) == 0;
        }
        return expected.equals(actual); // Long/Integer/String/LocalDate: equals checks the type too
    }

    @Test
    void loadingAgainFailsWith42P07AndChangesNothing() {
        Map<String, Long> before = counts(duet);
        int tablesBefore = duet.catalog().tables().size();
        DuetException e = assertThrows(DuetException.class, () -> TpchLoader.load(duet, SF));
        assertEquals("42P07", e.sqlState());
        assertTrue(e.getMessage().contains("relation \"region\" already exists"), e.getMessage());
        assertTrue(e.getMessage().contains("lineitem"), e.getMessage());
        assertEquals(before, counts(duet));
        assertEquals(tablesBefore, duet.catalog().tables().size());
    }

    @Test
    void oneExistingTableStopsTheLoadBeforeAnyChange() {
        try (Duet db = Duet.inMemory()) {
            db.createTable(TableDef.builder("orders").column("id", DataType.INTEGER).primaryKey("id").build());
            db.insert("orders", 7);
            DuetException e = assertThrows(DuetException.class, () -> TpchLoader.load(db, SF));
            assertEquals("42P07", e.sqlState());
            assertTrue(e.getMessage().startsWith("relation \"orders\" already exists"), e.getMessage());
            assertEquals(1, db.catalog().tables().size());
            assertEquals(1, db.scan("orders").size());
            assertEquals(7, db.get("orders", 7).get(0));
        }
    }

    @Test
    void aLoadThatFailsHalfwayDropsItsTables() {
        try (Duet db = Duet.inMemory()) {
            RuntimeException boom = new IllegalStateException("listener failed");
            TpchLoader.Listener failAfterNation = (table, rows, elapsed) -> {
                if (table.equals("nation")) {
                    throw boom;
                }
            };
            RuntimeException e = assertThrows(RuntimeException.class, () -> TpchLoader.load(db, SF, 7, failAfterNation));
            assertEquals(boom, e);
            assertTrue(db.catalog().tables().isEmpty(), db.catalog().tables().toString());
            TpchLoader.Result again = TpchLoader.load(db, SF, 20_000, TpchLoader.Listener.NONE);
            assertEquals(SPEC_COUNTS, again.rowCounts());
        }
    }

    @Test
    void badArgumentsAre22023() {
        try (Duet db = Duet.inMemory()) {
            for (double sf : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
                DuetException e = assertThrows(DuetException.class, () -> TpchLoader.load(db, sf));
                assertEquals("22023", e.sqlState(), String.valueOf(sf));
            }
            DuetException e = assertThrows(DuetException.class,
                    () -> TpchLoader.load(db, SF, 0, TpchLoader.Listener.NONE));
            assertEquals("22023", e.sqlState());
            assertTrue(db.catalog().tables().isEmpty());
        }
    }

    private static Map<String, Long> counts(Duet db) {
        Map<String, Long> m = new LinkedHashMap<>();
        try (Transaction tx = db.begin(true)) {
            for (String t : TpchSchema.TABLE_NAMES) {
                m.put(t, tx.count(t));
            }
        }
        return m;
    }
}
