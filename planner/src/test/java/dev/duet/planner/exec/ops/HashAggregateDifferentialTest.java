package dev.duet.planner.exec.ops;

import static dev.duet.planner.exec.ops.OperatorAssertions.assertSameRows;
import static dev.duet.planner.exec.ops.OperatorAssertions.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.types.DataType;
import dev.duet.planner.exec.ops.RandomRows.Spec;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HashAggregateOperator against DuckDB: the same random rows (every type as key and argument,
 * NULLs everywhere) aggregated by both, compared as row sets (doubles to 1e-9 relative).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HashAggregateDifferentialTest extends OperatorTestBase {
    private static final List<Spec> SPECS = List.of(
            new Spec("k_bool", DataType.BOOLEAN, 2, 0.1),
            new Spec("k_small", DataType.SMALLINT, 50, 0.1),
            new Spec("k_int", DataType.INTEGER, 1000, 0.05),
            new Spec("k_big", DataType.BIGINT, 300, 0.1),
            new Spec("k_real", DataType.REAL, 40, 0.1),
            new Spec("k_double", DataType.DOUBLE, 200, 0.1),
            new Spec("k_dec", DataType.decimal(12, 2), 100, 0.1),
            new Spec("k_dec38", DataType.decimal(38, 6), 50, 0.1),
            new Spec("k_str", DataType.TEXT, 500, 0.1),
            new Spec("k_date", DataType.DATE, 365, 0.1),
            new Spec("k_ts", DataType.TIMESTAMP, 100, 0.1),
            new Spec("k_bytes", DataType.BYTEA, 60, 0.1),
            new Spec("v_small", DataType.SMALLINT, 60000, 0.2),
            new Spec("v_int", DataType.INTEGER, 1 << 30, 0.2),
            new Spec("v_big", DataType.BIGINT, 1_000_000, 0.2),
            new Spec("v_double", DataType.DOUBLE, 100_000, 0.2),
            new Spec("v_real", DataType.REAL, 1000, 0.2),
            new Spec("v_dec", DataType.decimal(12, 2), 1_000_000, 0.2),
            new Spec("v_dec30", DataType.decimal(30, 4), 1_000_000, 0.2),
            new Spec("v_str", DataType.TEXT, 5000, 0.2),
            new Spec("v_flag", DataType.BOOLEAN, 2, 0.2),
            new Spec("v_bytes", DataType.BYTEA, 1000, 0.2),
            new Spec("v_date", DataType.DATE, 10000, 0.2),
            new Spec("v_ts", DataType.TIMESTAMP, 10000, 0.2));
    private static final List<BatchColumn> COLUMNS = RandomRows.columns(SPECS);
    private static final DataType BIGINT = DataType.BIGINT;
    private static final DataType DOUBLE = DataType.DOUBLE;

    private DuckDbOracle duck;
    private List<Object[]> data;

    /** One aggregate: Duet's call and DuckDB's SQL for it. */
    record Agg(AggregateCall call, String sql) {
    }

    @BeforeAll
    void load() throws SQLException {
        data = RandomRows.rows(SPECS, 20_000, 42);
        duck = new DuckDbOracle();
        duck.load("t", COLUMNS, data);
    }

    @AfterAll
    void unload() throws SQLException {
        duck.close();
    }

    private static int index(String name) {
        for (int i = 0; i < COLUMNS.size(); i++) {
            if (COLUMNS.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static DataType type(String name) {
        return COLUMNS.get(index(name)).type();
    }

    static Agg count() {
        return new Agg(AggregateCall.countStar("n"), "count(*)");
    }

    static Agg agg(AggregateKind kind, String column, DataType type) {
        return new Agg(AggregateCall.of(kind, index(column), kind + "_" + column, type), kind.name().toLowerCase() + "(" + column + ")");
    }

    static Agg distinct(AggregateKind kind, String column, DataType type) {
        return new Agg(AggregateCall.distinct(kind, index(column), "d_" + kind + "_" + column, type),
                kind.name().toLowerCase() + "(DISTINCT " + column + ")");
    }

    static Agg minMax(boolean max, String column) {
        return agg(max ? AggregateKind.MAX : AggregateKind.MIN, column, type(column));
    }

    static List<Agg> standardAggregates() {
        List<Agg> a = new ArrayList<>(List.of(
                count(),
                agg(AggregateKind.COUNT, "v_int", BIGINT),
                agg(AggregateKind.COUNT, "v_str", BIGINT),
                agg(AggregateKind.SUM, "v_small", BIGINT),
                agg(AggregateKind.SUM, "v_int", BIGINT),
                agg(AggregateKind.SUM, "v_big", DataType.decimal(38, 0)),
                agg(AggregateKind.SUM, "v_dec", DataType.decimal(38, 2)),
                agg(AggregateKind.SUM, "v_dec30", DataType.decimal(38, 4)),
                agg(AggregateKind.SUM, "v_double", DOUBLE),
                agg(AggregateKind.SUM, "v_real", DOUBLE),
                agg(AggregateKind.AVG, "v_small", DOUBLE),
                agg(AggregateKind.AVG, "v_int", DOUBLE),
                agg(AggregateKind.AVG, "v_big", DOUBLE),
                agg(AggregateKind.AVG, "v_dec", DOUBLE),
                agg(AggregateKind.AVG, "v_double", DOUBLE),
                agg(AggregateKind.AVG, "v_real", DOUBLE),
                agg(AggregateKind.STDDEV_SAMP, "v_double", DOUBLE),
                agg(AggregateKind.STDDEV_POP, "v_int", DOUBLE),
                agg(AggregateKind.VAR_SAMP, "v_dec", DOUBLE),
                agg(AggregateKind.VAR_POP, "v_small", DOUBLE),
                agg(AggregateKind.BOOL_AND, "v_flag", DataType.BOOLEAN),
                agg(AggregateKind.BOOL_OR, "v_flag", DataType.BOOLEAN)));
        for (String c : List.of("v_small", "v_int", "v_big", "v_double", "v_real", "v_dec", "v_dec30", "v_str", "v_flag",
                "v_bytes", "v_date", "v_ts")) {
            a.add(minMax(false, c));
            a.add(minMax(true, c));
        }
        return a;
    }

    static List<Agg> distinctAggregates() {
        return List.of(
                distinct(AggregateKind.COUNT, "v_small", BIGINT),
                distinct(AggregateKind.SUM, "v_small", BIGINT),
                distinct(AggregateKind.AVG, "v_real", DOUBLE),
                distinct(AggregateKind.COUNT, "v_str", BIGINT),
                distinct(AggregateKind.COUNT, "v_bytes", BIGINT),
                distinct(AggregateKind.SUM, "v_dec", DataType.decimal(38, 2)),
                distinct(AggregateKind.STDDEV_POP, "v_real", DOUBLE),
                agg(AggregateKind.SUM, "v_small", BIGINT),
                new Agg(AggregateCall.countStar("f").withFilter(index("v_flag")), "count(*) FILTER (WHERE v_flag)"),
                new Agg(AggregateCall.of(AggregateKind.SUM, index("v_int"), "fs", BIGINT).withFilter(index("v_flag")),
                        "sum(v_int) FILTER (WHERE v_flag)"),
                new Agg(AggregateCall.distinct(AggregateKind.COUNT, index("v_real"), "fd", BIGINT).withFilter(index("k_bool")),
                        "count(DISTINCT v_real) FILTER (WHERE k_bool)"));
    }

    private void check(List<String> keys, List<Agg> aggregates, List<Object[]> rows, String table, int... batchSizes)
            throws SQLException {
        List<Integer> keyIndexes = keys.stream().map(HashAggregateDifferentialTest::index).toList();
        List<AggregateCall> calls = aggregates.stream().map(Agg::call).toList();
        List<Object[]> actual;
        try (HashAggregateOperator op = new HashAggregateOperator(context, new ListOperator(context, COLUMNS, rows, batchSizes),
                new AggregateSpec(keyIndexes, calls))) {
            actual = drain(op);
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        List<DataType> types = new ArrayList<>();
        for (String k : keys) {
            sql.append(k).append(", ");
            types.add(type(k));
        }
        for (int i = 0; i < aggregates.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(aggregates.get(i).sql());
            types.add(aggregates.get(i).call().type());
        }
        sql.append(" FROM ").append(table);
        if (!keys.isEmpty()) {
            sql.append(" GROUP BY ").append(String.join(", ", keys));
        }
        List<Object[]> expected = duck.query(sql.toString(), types);
        assertSameRows(expected, actual);
    }

    static Stream<Arguments> keySets() {
        return Stream.of(
                List.of("k_bool"), List.of("k_small"), List.of("k_int"), List.of("k_big"), List.of("k_real"),
                List.of("k_double"), List.of("k_dec"), List.of("k_dec38"), List.of("k_str"), List.of("k_date"),
                List.of("k_ts"), List.of("k_bytes"), List.of("k_int", "k_str"), List.of("k_bool", "k_small", "k_date", "k_dec"),
                List.of("k_double", "k_bytes", "k_ts"), List.of("k_dec38", "k_real", "k_big"), List.of("k_str", "v_str"),
                List.of()).map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("keySets")
    void standardAggregatesMatchDuckDb(List<String> keys) throws SQLException {
        check(keys, standardAggregates(), data, "t", 1000, 4096, 77);
    }

    @ParameterizedTest
    @MethodSource("keySets")
    void distinctAndFilteredAggregatesMatchDuckDb(List<String> keys) throws SQLException {
        check(keys, distinctAggregates(), data, "t", 3000);
    }

    /**
     * The same rows sorted by the keys, so that equal keys (NULLs included) come in runs that
     * cross batch boundaries: rows equal to the row before take its group without a probe.
     */
    @ParameterizedTest
    @MethodSource("keySets")
    void clusteredKeysMatchDuckDb(List<String> keys) throws SQLException {
        List<Integer> at = keys.stream().map(HashAggregateDifferentialTest::index).toList();
        List<Object[]> sorted = new ArrayList<>(data);
        sorted.sort(java.util.Comparator.comparing(row -> {
            Object[] key = new Object[at.size()];
            for (int i = 0; i < key.length; i++) {
                Object v = row[at.get(i)];
                key[i] = v instanceof byte[] b ? java.util.Arrays.toString(b) : v;
            }
            return java.util.Arrays.deepToString(key);
        }));
        check(keys, standardAggregates(), sorted, "t", 77, 4096);
        check(keys, distinctAggregates(), sorted, "t", 1000);
    }

    /**
     * String keys that fit a packed slot (at most 7 bytes: flags, empty strings, NULLs, strings
     * and byte strings differing only in trailing zero bytes, multi-byte UTF-8) for the first
     * half of the rows, then longer ones, so that the table widens after it holds groups; and the
     * same without the long half, where it never widens.
     */
    @Test
    void packedStringKeysThenLongOnesMatchDuckDb() throws SQLException {
        List<BatchColumn> columns = List.of(new BatchColumn("a", DataType.TEXT, true), new BatchColumn("b", DataType.BYTEA, true),
                new BatchColumn("c", DataType.INTEGER, false), new BatchColumn("x", DataType.decimal(12, 2), true));
        String[] shortText = {"A", "N", "R", "", "é", "日本", "abcdefg", "a\u0001", "a", null};
        byte[][] shortBytes = {{}, {0}, {0, 0}, {1, 2, 3}, {-1, -1, -1, -1, -1, -1, -1}, {7}, null};
        String[] longText = {"abcdefgh", "abcdefg\u0001", "same-prefix-0000", "same-prefix-00010", "longer string with spaces", "A"};
        byte[][] longBytes = {{0, 0, 0, 0, 0, 0, 0, 0}, {1, 2, 3, 4, 5, 6, 7, 8, 9}, {0}, null};
        java.util.Random rnd = new java.util.Random(11);
        List<Object[]> rows = new ArrayList<>();
        for (int r = 0; r < 12_000; r++) {
            boolean late = r >= 6_000 && rnd.nextInt(3) == 0;
            String a = late ? longText[rnd.nextInt(longText.length)] : shortText[rnd.nextInt(shortText.length)];
            byte[] b = late ? longBytes[rnd.nextInt(longBytes.length)] : shortBytes[rnd.nextInt(shortBytes.length)];
            rows.add(new Object[] {a, b, rnd.nextInt(5), rnd.nextInt(10) == 0 ? null : java.math.BigDecimal.valueOf(rnd.nextInt(100_000), 2)});
        }
        duck.load("packed", columns, rows);
        duck.load("packed_short", columns, rows.subList(0, 6_000));
        List<AggregateCall> calls = List.of(AggregateCall.countStar("n"),
                AggregateCall.of(AggregateKind.SUM, 3, "s", DataType.decimal(38, 2)),
                AggregateCall.distinct(AggregateKind.COUNT, 0, "da", BIGINT),
                AggregateCall.distinct(AggregateKind.COUNT, 1, "db", BIGINT));
        String aggregates = "count(*), sum(x), count(DISTINCT a), count(DISTINCT b)";
        for (List<Integer> keys : List.of(List.of(0), List.of(1), List.of(0, 1), List.of(2, 0), List.<Integer>of())) {
            List<DataType> types = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int key : keys) {
                types.add(columns.get(key).type());
                names.add(columns.get(key).name());
            }
            calls.forEach(c -> types.add(c.type()));
            String select = "SELECT " + (keys.isEmpty() ? "" : String.join(", ", names) + ", ") + aggregates;
            String groupBy = keys.isEmpty() ? "" : " GROUP BY " + String.join(", ", names);
            for (boolean withLong : new boolean[] {true, false}) {
                List<Object[]> input = withLong ? rows : rows.subList(0, 6_000);
                List<Object[]> actual;
                try (HashAggregateOperator op = new HashAggregateOperator(context, new ListOperator(context, columns, input, 1000),
                        new AggregateSpec(keys, calls))) {
                    actual = drain(op);
                }
                List<Object[]> expected = duck.query(select + " FROM " + (withLong ? "packed" : "packed_short") + groupBy, types);
                assertEquals(expected.size(), actual.size(), select + groupBy);
                assertSameRows(expected, actual);
            }
        }
    }

    /**
     * Exact sums whose values fit 64 bits but whose sums do not (unscaled values near
     * {@code Long.MAX_VALUE} and {@code Long.MIN_VALUE}), batches mixing such values with wider
     * ones, in few groups (summed as runs) and many (row by row); SUM and AVG of one column and
     * the same SUM twice share one state.
     */
    @Test
    void decimalSumsNearSixtyFourBitsMatchDuckDb() throws SQLException {
        List<BatchColumn> columns = List.of(new BatchColumn("g", DataType.INTEGER, false),
                new BatchColumn("h", DataType.INTEGER, false), new BatchColumn("d", DataType.decimal(38, 2), true),
                new BatchColumn("e", DataType.decimal(38, 0), true));
        java.util.Random rnd = new java.util.Random(5);
        java.math.BigInteger big = java.math.BigInteger.valueOf(Long.MAX_VALUE);
        List<Object[]> rows = new ArrayList<>();
        for (int r = 0; r < 20_000; r++) {
            boolean wideBatch = (r / 1000) % 4 == 3;
            java.math.BigInteger u = big.subtract(java.math.BigInteger.valueOf(rnd.nextInt(1000)));
            if (rnd.nextBoolean()) {
                u = u.negate().subtract(java.math.BigInteger.ONE); // down to Long.MIN_VALUE
            }
            if (wideBatch && rnd.nextInt(50) == 0) {
                u = u.multiply(java.math.BigInteger.valueOf(1000));
            }
            rows.add(new Object[] {rnd.nextInt(3), rnd.nextInt(2000), rnd.nextInt(20) == 0 ? null : new java.math.BigDecimal(u, 2),
                new java.math.BigDecimal(r % 7 == 0 ? u : big.subtract(java.math.BigInteger.valueOf(r % 5)))});
        }
        duck.load("near64", columns, rows);
        DataType sum2 = DataType.decimal(38, 2);
        DataType sum0 = DataType.decimal(38, 0);
        List<AggregateCall> calls = List.of(AggregateCall.of(AggregateKind.SUM, 2, "sd", sum2),
                AggregateCall.of(AggregateKind.AVG, 2, "ad", DOUBLE), AggregateCall.of(AggregateKind.SUM, 2, "sd2", sum2),
                AggregateCall.of(AggregateKind.COUNT, 2, "cd", BIGINT), AggregateCall.of(AggregateKind.AVG, 3, "ae", DOUBLE),
                AggregateCall.of(AggregateKind.SUM, 3, "se", sum0));
        for (String key : List.of("g", "h", "")) {
            List<Integer> keys = key.isEmpty() ? List.of() : List.of(key.equals("g") ? 0 : 1);
            List<DataType> types = new ArrayList<>();
            if (!key.isEmpty()) {
                types.add(DataType.INTEGER);
            }
            calls.forEach(c -> types.add(c.type()));
            List<Object[]> actual;
            try (HashAggregateOperator op = new HashAggregateOperator(context, new ListOperator(context, columns, rows, 1000),
                    new AggregateSpec(keys, calls))) {
                actual = drain(op);
            }
            String select = "SELECT " + (key.isEmpty() ? "" : key + ", ") + "sum(d), avg(d), sum(d), count(d), avg(e), sum(e) FROM near64"
                    + (key.isEmpty() ? "" : " GROUP BY " + key);
            List<Object[]> expected = duck.query(select, types);
            assertEquals(expected.size(), actual.size(), select);
            assertSameRows(expected, actual);
        }
    }

    /**
     * Input clustered by the key into a table larger than the caches (50,000 groups, four rows
     * each, as line items by order): probed row by row with the previous-row shortcut, with
     * strings longer than 16 bytes in the key and NULL keys among the runs; then the same rows
     * shuffled, probed a batch at a time.
     */
    @Test
    void clusteredKeysInALargeTableMatchDuckDb() throws SQLException {
        List<BatchColumn> columns = List.of(new BatchColumn("k", DataType.BIGINT, true), new BatchColumn("s", DataType.TEXT, true),
                new BatchColumn("x", DataType.INTEGER, false));
        List<Object[]> rows = new ArrayList<>();
        for (int r = 0; r < 200_000; r++) {
            int key = r / 4;
            rows.add(new Object[] {key % 997 == 0 ? null : (long) key * 7919, key % 3 == 0 ? null : "a string longer than sixteen " + key % 50,
                r % 13});
        }
        duck.load("clustered", columns, rows);
        List<AggregateCall> calls = List.of(AggregateCall.countStar("n"), AggregateCall.of(AggregateKind.SUM, 2, "sx", BIGINT));
        List<Object[]> shuffled = new ArrayList<>(rows);
        java.util.Collections.shuffle(shuffled, new java.util.Random(3));
        for (List<Object[]> input : List.of(rows, shuffled)) {
            for (List<Integer> keys : List.of(List.of(0), List.of(0, 1))) {
                List<DataType> types = new ArrayList<>();
                for (int key : keys) {
                    types.add(columns.get(key).type());
                }
                calls.forEach(c -> types.add(c.type()));
                List<Object[]> actual;
                try (HashAggregateOperator op = new HashAggregateOperator(context, new ListOperator(context, columns, input, 4096),
                        new AggregateSpec(keys, calls))) {
                    actual = drain(op);
                }
                String k = keys.size() == 1 ? "k" : "k, s";
                List<Object[]> expected = duck.query("SELECT " + k + ", count(*), sum(x) FROM clustered GROUP BY " + k, types);
                assertEquals(expected.size(), actual.size(), k);
                assertSameRows(expected, actual);
            }
        }
    }

    /**
     * Keys of small domains looked up through the direct array: narrow integers, dates, booleans
     * and one-byte strings with NULLs; then later batches whose keys leave the range (widening the
     * array, then, past its limit, hashing for good after groups exist), 60,000 groups inside the
     * limit, and strings longer than a packed slot arriving after direct lookups.
     */
    @Test
    void smallKeyDomainsMatchDuckDb() throws SQLException {
        List<BatchColumn> columns = List.of(new BatchColumn("a", DataType.INTEGER, true), new BatchColumn("b", DataType.TEXT, true),
                new BatchColumn("c", DataType.SMALLINT, true), new BatchColumn("d", DataType.BOOLEAN, true),
                new BatchColumn("e", DataType.DATE, true), new BatchColumn("x", DataType.decimal(12, 2), true),
                new BatchColumn("y", DataType.BIGINT, true));
        String[] flags = {"A", "N", "R", "", "F", null};
        java.util.Random rnd = new java.util.Random(17);
        List<Object[]> rows = new ArrayList<>();
        for (int r = 0; r < 24_000; r++) {
            int phase = r / 6_000;
            Integer a = switch (phase) {
                case 0 -> 10 + rnd.nextInt(11);
                case 1 -> -50 + rnd.nextInt(151);
                case 2 -> rnd.nextInt(60_000);
                default -> rnd.nextInt(1_000_000) - 500_000;
            };
            if (rnd.nextInt(15) == 0) {
                a = null;
            }
            String b = phase == 3 && rnd.nextInt(4) == 0 ? "a longer flag " + rnd.nextInt(3) : flags[rnd.nextInt(flags.length)];
            Short c = rnd.nextInt(12) == 0 ? null : (short) (rnd.nextInt(7) - 3);
            Boolean d = rnd.nextInt(10) == 0 ? null : rnd.nextBoolean();
            java.time.LocalDate e = rnd.nextInt(20) == 0 ? null : java.time.LocalDate.of(1995, 1, 1).plusDays(rnd.nextInt(phase == 0 ? 30 : 3000));
            rows.add(new Object[] {a, b, c, d, e, rnd.nextInt(10) == 0 ? null : java.math.BigDecimal.valueOf(rnd.nextInt(1_000_000), 2),
                rnd.nextInt(10) == 0 ? null : rnd.nextLong() >> 20});
        }
        List<AggregateCall> calls = List.of(AggregateCall.countStar("n"),
                AggregateCall.of(AggregateKind.SUM, 5, "sx", DataType.decimal(38, 2)),
                AggregateCall.of(AggregateKind.AVG, 5, "ax", DOUBLE),
                AggregateCall.of(AggregateKind.SUM, 6, "sy", DataType.decimal(38, 0)),
                AggregateCall.distinct(AggregateKind.COUNT, 2, "dc", BIGINT));
        String aggregates = "count(*), sum(x), avg(x), sum(y), count(DISTINCT c)";
        for (int phases : new int[] {1, 2, 3, 4}) {
            List<Object[]> input = rows.subList(0, phases * 6_000);
            String table = "small" + phases;
            duck.load(table, columns, input);
            for (List<Integer> keys : List.of(List.of(0), List.of(1), List.of(0, 1), List.of(2, 3, 1), List.of(3),
                    List.of(4, 2), List.of(1, 3))) {
                List<DataType> types = new ArrayList<>();
                List<String> names = new ArrayList<>();
                for (int key : keys) {
                    types.add(columns.get(key).type());
                    names.add(columns.get(key).name());
                }
                calls.forEach(call -> types.add(call.type()));
                List<Object[]> actual;
                try (HashAggregateOperator op = new HashAggregateOperator(context, new ListOperator(context, columns, input, 1000, 77),
                        new AggregateSpec(keys, calls))) {
                    actual = drain(op);
                }
                String k = String.join(", ", names);
                List<Object[]> expected = duck.query("SELECT " + k + ", " + aggregates + " FROM " + table + " GROUP BY " + k, types);
                assertEquals(expected.size(), actual.size(), k + " over " + table);
                assertSameRows(expected, actual);
            }
        }
    }

    /**
     * Exact sums summed without an overflow test ({@link AggregateInput#sumsFitLong}): values of
     * the same sign at the edge of the bound (magnitudes up to 2^52, and exactly -2^52, in
     * batches of 1000 rows, so that a batch's sum reaches 2^62) and just past it (batches of 1024
     * rows, checked), in four groups.
     */
    @Test
    void decimalSumsAtTheUncheckedBoundMatchDuckDb() throws SQLException {
        List<BatchColumn> columns = List.of(new BatchColumn("g", DataType.INTEGER, false),
                new BatchColumn("d", DataType.decimal(38, 2), true));
        java.util.Random rnd = new java.util.Random(23);
        List<Object[]> rows = new ArrayList<>();
        for (int r = 0; r < 8_192; r++) {
            long edge = 1L << 52;
            long u = (r / 2048) % 2 == 0 ? edge - 1 - rnd.nextInt(100) : -edge + rnd.nextInt(2);
            rows.add(new Object[] {rnd.nextInt(4), rnd.nextInt(50) == 0 ? null : java.math.BigDecimal.valueOf(u, 2)});
        }
        duck.load("edge52", columns, rows);
        List<AggregateCall> calls = List.of(AggregateCall.of(AggregateKind.SUM, 1, "s", DataType.decimal(38, 2)),
                AggregateCall.of(AggregateKind.AVG, 1, "a", DOUBLE));
        for (int batch : new int[] {1000, 1024}) {
            List<Object[]> actual;
            try (HashAggregateOperator op = new HashAggregateOperator(context, new ListOperator(context, columns, rows, batch),
                    new AggregateSpec(List.of(0), calls))) {
                actual = drain(op);
            }
            List<Object[]> expected = duck.query("SELECT g, sum(d), avg(d) FROM edge52 GROUP BY g",
                    List.of(DataType.INTEGER, DataType.decimal(38, 2), DOUBLE));
            assertSameRows(expected, actual);
        }
    }

    @Test
    void emptyInputMatchesDuckDb() throws SQLException {
        check(List.of(), standardAggregates(), List.of(), "t WHERE false");
        check(List.of("k_int"), standardAggregates(), List.of(), "t WHERE false");
    }

    @Test
    void twoHundredThousandRowsInTenThousandGroups() throws SQLException {
        List<Spec> specs = List.of(
                new Spec("g", DataType.INTEGER, 10_000, 0.01),
                new Spec("s", DataType.TEXT, 100, 0.0),
                new Spec("h", DataType.SMALLINT, 100, 0.0),
                new Spec("x", DataType.BIGINT, 1_000_000, 0.1),
                new Spec("y", DataType.DOUBLE, 1_000_000, 0.1),
                new Spec("d", DataType.decimal(15, 2), 1_000_000, 0.1));
        List<BatchColumn> columns = RandomRows.columns(specs);
        List<Object[]> rows = RandomRows.rows(specs, 200_000, 7);
        duck.load("big", columns, rows);
        for (List<Integer> keys : List.of(List.of(0), List.of(1, 2))) {
            List<AggregateCall> calls = List.of(
                    AggregateCall.countStar("n"),
                    AggregateCall.of(AggregateKind.SUM, 3, "sx", DataType.decimal(38, 0)),
                    AggregateCall.of(AggregateKind.AVG, 4, "ay", DOUBLE),
                    AggregateCall.of(AggregateKind.SUM, 5, "sd", DataType.decimal(38, 2)),
                    AggregateCall.of(AggregateKind.MIN, 3, "mx", BIGINT),
                    AggregateCall.of(AggregateKind.MAX, 5, "md", DataType.decimal(15, 2)),
                    AggregateCall.distinct(AggregateKind.COUNT, 2, "dh", BIGINT),
                    AggregateCall.of(AggregateKind.STDDEV_SAMP, 4, "sy", DOUBLE));
            List<Object[]> actual;
            try (HashAggregateOperator op = new HashAggregateOperator(context, new ListOperator(context, columns, rows),
                    new AggregateSpec(keys, calls))) {
                actual = drain(op);
            }
            String k = keys.size() == 1 ? "g" : "s, h";
            List<DataType> types = new ArrayList<>();
            for (int key : keys) {
                types.add(columns.get(key).type());
            }
            calls.forEach(c -> types.add(c.type()));
            List<Object[]> expected = duck.query("SELECT " + k + ", count(*), sum(x), avg(y), sum(d), min(x), max(d), "
                    + "count(DISTINCT h), stddev_samp(y) FROM big GROUP BY " + k, types);
            assertEquals(expected.size(), actual.size());
            assertSameRows(expected, actual);
        }
    }
}
