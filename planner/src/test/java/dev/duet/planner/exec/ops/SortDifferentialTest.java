package dev.duet.planner.exec.ops;

import static dev.duet.planner.exec.ops.OperatorAssertions.assertSameOrder;
import static dev.duet.planner.exec.ops.OperatorAssertions.drain;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.types.DataType;
import dev.duet.planner.exec.ops.RandomRows.Spec;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SortOperator and TopNOperator against DuckDB's {@code ORDER BY ... NULLS FIRST/LAST [LIMIT n
 * OFFSET m]} on the same random rows. A unique id is the last key, so the order is total and
 * compared exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SortDifferentialTest extends OperatorTestBase {
    private static final List<Spec> SPECS = List.of(
            new Spec("k_bool", DataType.BOOLEAN, 2, 0.1),
            new Spec("k_small", DataType.SMALLINT, 30, 0.1),
            new Spec("k_int", DataType.INTEGER, 500, 0.1),
            new Spec("k_big", DataType.BIGINT, 2000, 0.1),
            new Spec("k_real", DataType.REAL, 100, 0.1),
            new Spec("k_double", DataType.DOUBLE, 300, 0.1),
            new Spec("k_dec", DataType.decimal(12, 2), 100, 0.1),
            new Spec("k_dec38", DataType.decimal(38, 6), 80, 0.1),
            new Spec("k_str", DataType.TEXT, 400, 0.1),
            new Spec("k_date", DataType.DATE, 200, 0.1),
            new Spec("k_ts", DataType.TIMESTAMP, 200, 0.1),
            new Spec("k_bytes", DataType.BYTEA, 100, 0.1),
            new Spec("payload", DataType.TEXT, 100_000, 0.2));
    private static final int ROWS = 12_000;

    private DuckDbOracle duck;
    private List<BatchColumn> columns;
    private List<Object[]> data;

    @BeforeAll
    void load() throws SQLException {
        List<Object[]> generated = RandomRows.rows(SPECS, ROWS, 2024);
        data = new ArrayList<>(ROWS);
        for (int i = 0; i < generated.size(); i++) {
            Object[] r = generated.get(i);
            Object[] withId = java.util.Arrays.copyOf(r, r.length + 1);
            withId[r.length] = i;
            data.add(withId);
        }
        columns = new ArrayList<>(RandomRows.columns(SPECS));
        columns.add(new BatchColumn("id", DataType.INTEGER, false));
        duck = new DuckDbOracle();
        duck.load("t", columns, data);
    }

    @AfterAll
    void unload() throws SQLException {
        duck.close();
    }

    /** Key sets: each key is {column, desc, nullsFirst}; the id is appended. */
    static Stream<Arguments> orders() {
        List<int[][]> orders = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            orders.add(new int[][] {{c, 0, 0}});
            orders.add(new int[][] {{c, 1, 1}});
            orders.add(new int[][] {{c, 1, 0}});
            orders.add(new int[][] {{c, 0, 1}});
        }
        orders.add(new int[][] {{8, 0, 0}, {2, 1, 1}});
        orders.add(new int[][] {{0, 1, 0}, {9, 0, 1}, {6, 1, 1}});
        orders.add(new int[][] {{11, 0, 0}, {8, 1, 0}, {5, 0, 0}});
        orders.add(new int[][] {{1, 0, 1}, {10, 1, 1}, {7, 0, 0}, {4, 1, 0}, {3, 0, 0}});
        return orders.stream().map(o -> Arguments.of((Object) o));
    }

    private List<SortKey> keys(int[][] order) {
        List<SortKey> keys = new ArrayList<>();
        for (int[] k : order) {
            keys.add(new SortKey(k[0], k[1] == 1, k[2] == 1));
        }
        keys.add(SortKey.asc(columns.size() - 1));
        return keys;
    }

    private String orderBy(List<SortKey> keys) {
        StringBuilder b = new StringBuilder(" ORDER BY ");
        for (int i = 0; i < keys.size(); i++) {
            SortKey k = keys.get(i);
            b.append(i == 0 ? "" : ", ").append(columns.get(k.column()).name()).append(k.descending() ? " DESC" : " ASC")
                    .append(k.nullsFirst() ? " NULLS FIRST" : " NULLS LAST");
        }
        return b.toString();
    }

    private List<DataType> types() {
        return columns.stream().map(BatchColumn::type).toList();
    }

    @ParameterizedTest
    @MethodSource("orders")
    void sortMatchesDuckDb(int[][] order) throws SQLException {
        List<SortKey> keys = keys(order);
        List<Object[]> actual;
        try (SortOperator op = new SortOperator(context, new ListOperator(context, columns, data, 4096, 1000, 17),
                new SortSpec(keys))) {
            actual = drain(op);
        }
        assertSameOrder(duck.query("SELECT * FROM t" + orderBy(keys), types()), actual);
    }

    @ParameterizedTest
    @MethodSource("orders")
    void topNMatchesDuckDb(int[][] order) throws SQLException {
        List<SortKey> keys = keys(order);
        for (long[] lo : new long[][] {{10, 0}, {100, 250}, {3000, 17}}) {
            List<Object[]> actual;
            try (TopNOperator op = new TopNOperator(context, new ListOperator(context, columns, data, 2048),
                    new TopNSpec(keys, lo[0], lo[1]))) {
                actual = drain(op);
            }
            assertSameOrder(duck.query("SELECT * FROM t" + orderBy(keys) + " LIMIT " + lo[0] + " OFFSET " + lo[1], types()), actual);
        }
    }
}
