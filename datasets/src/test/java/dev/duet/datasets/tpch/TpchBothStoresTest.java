package dev.duet.datasets.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.duet.columnstore.ColumnStoreOptions;
import dev.duet.core.exec.Batches;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import dev.duet.engine.sql.Result;
import dev.duet.engine.sql.Session;
import dev.duet.planner.TpchQueries;
import dev.duet.planner.exec.OracleValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every TPC-H table (SF 0.01) holds the same rows in the row store and the column store, loaded
 * and after updates and deletes that touch sealed segments and open ones; after the changes the 22
 * queries give the same results on both routes. (Their agreement with DuckDB on loaded data is
 * {@link TpchQueriesDuckDbDifferentialTest}'s.)
 */
class TpchBothStoresTest {
    private static final Pattern ORDER_BY = Pattern.compile("(?is)\\border\\s+by\\b(?!.*\\))");

    private static Duet duet;
    private static Session session;

    @BeforeAll
    static void load() {
        // small segments: most rows in sealed Parquet files, the rest in open segments
        duet = Duet.inMemory(DuetConfig.defaults().withColumnStore(ColumnStoreOptions.defaults().withSealRows(8_192).withRowGroupRows(1_024).withScanWait(Duration.ofSeconds(30))));
        TpchLoader.load(duet, 0.01);
        session = duet.newSession();
    }

    @AfterAll
    static void close() {
        if (session != null) {
            session.close();
        }
        if (duet != null) {
            assertEquals(0, duet.allocator().getAllocatedMemory(), "Arrow memory left allocated");
            duet.close();
        }
    }

    @Test
    void bothStoresAgreeLoadedAndAfterUpdatesAndDeletes() {
        long readBefore = duet.columnStore().rowGroupsRead();
        compareContents("loaded");
        assertTrue(duet.columnStore().rowGroupsRead() > readBefore, "the column route read sealed row groups");

        for (String sql : List.of(
                "DELETE FROM lineitem WHERE l_orderkey % 7 = 0",
                "UPDATE lineitem SET l_discount = l_discount + 0.01 WHERE l_linenumber = 1",
                "UPDATE orders SET o_orderpriority = '1-URGENT' WHERE o_orderkey % 5 = 0",
                "DELETE FROM customer WHERE c_custkey % 11 = 0",
                "UPDATE part SET p_retailprice = p_retailprice + 1 WHERE p_partkey % 3 = 0",
                "UPDATE supplier SET s_acctbal = -s_acctbal WHERE s_suppkey < 20",
                "DELETE FROM partsupp WHERE ps_partkey % 13 = 0")) {
            try (Result r = session.execute(sql)) {
                assertTrue(r.updateCount() > 0, sql);
            }
        }
        compareContents("after updates and deletes");
        for (int q = 1; q <= 22; q++) {
            String sql = TpchQueries.query(q);
            boolean ordered = ORDER_BY.matcher(sql).find();
            compare("q" + q + " after updates and deletes", rows("row", sql, !ordered), rows("column", sql, !ordered));
        }
    }

    private static void compareContents(String when) {
        for (String table : TpchSchema.TABLE_NAMES) {
            String sql = "SELECT * FROM " + table;
            List<Object[]> row = rows("row", sql, true);
            assertTrue(row.size() > 0, table);
            compare(table + " " + when, row, rows("column", sql, true));
        }
    }

    private static List<Object[]> rows(String route, String sql, boolean sort) {
        try (Result set = session.execute("SET duet.route = '" + route + "'")) {
            assertEquals(0, set.updateCount());
        }
        List<Object[]> out = new ArrayList<>();
        try (Result r = session.execute(sql)) {
            for (VectorSchemaRoot b; (b = r.nextBatch()) != null; ) {
                out.addAll(Batches.rows(b));
            }
        }
        if (sort) {
            out.sort(Comparator.comparing(Arrays::toString));
        }
        return out;
    }

    private static void compare(String name, List<Object[]> row, List<Object[]> column) {
        assertEquals(row.size(), column.size(), name + ": rows on the row and the column route");
        for (int r = 0; r < row.size(); r++) {
            Object[] e = row.get(r);
            Object[] a = column.get(r);
            for (int c = 0; c < e.length; c++) {
                if (!OracleValues.same(e[c], a[c])) {
                    fail(name + " row " + r + " column " + (c + 1) + ": row store " + Arrays.toString(e)
                            + ", column store " + Arrays.toString(a));
                }
            }
        }
    }
}
