package dev.duet.rowstore;

import static dev.duet.rowstore.RowStoreTestSupport.assertFails;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.core.types.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RowStoreScan} returns, batch by batch, exactly what {@link Transaction#scan} returns, and
 * every test ends with the query allocator (and the root above it) at zero bytes.
 */
class RowStoreScanTest {
    /** Every type, DECIMAL in both row-codec widths, VARCHAR bounded and not. */
    private static final DataType[] TYPES = {
        DataType.BOOLEAN, DataType.SMALLINT, DataType.INTEGER, DataType.BIGINT, DataType.REAL, DataType.DOUBLE,
        DataType.decimal(9, 2), DataType.decimal(18, 18), DataType.decimal(15, 2), DataType.decimal(19, 4),
        DataType.decimal(38, 10), DataType.varchar(20), DataType.TEXT, DataType.DATE, DataType.TIMESTAMP, DataType.BYTEA,
    };

    private RootAllocator root;
    private RowStore store;

    @BeforeEach
    void open() {
        root = new RootAllocator();
        store = RowStore.inMemory(RowStoreOptions.defaults());
    }

    @AfterEach
    void close() {
        assertEquals(0, root.getAllocatedMemory(), "Arrow memory left after the test");
        root.close();
        assertEquals(0, store.openSnapshots(), "a test left a transaction open");
        store.close();
    }

    /** The query context of a test; closing it checks that nothing leaked. */
    private QueryContext query() {
        return new QueryContext(root, 64L << 20);
    }

    // ---------------------------------------------------------------- data

    private static TableDef everyTypeTable(String name) {
        TableDef.Builder b = TableDef.builder(name).column("id", DataType.BIGINT);
        for (int i = 0; i < TYPES.length; i++) {
            b.column("c" + i, TYPES[i]);
        }
        return b.primaryKey("id").build();
    }

    private static Object value(DataType type, Random r) {
        if (r.nextInt(6) == 0) {
            return null;
        }
        boolean edge = r.nextInt(5) == 0;
        Object v = switch (type.kind()) {
            case BOOLEAN -> r.nextBoolean();
            case SMALLINT -> edge ? (r.nextBoolean() ? Short.MIN_VALUE : Short.MAX_VALUE) : (short) r.nextInt();
            case INTEGER -> edge ? (r.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE) : r.nextInt();
            case BIGINT -> edge ? (r.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE) : r.nextLong();
            case REAL -> edge ? new float[] {-0.0f, Float.NaN, Float.NEGATIVE_INFINITY, Float.MAX_VALUE}[r.nextInt(4)]
                    : r.nextFloat();
            case DOUBLE -> edge ? new double[] {-0.0, Double.NaN, Double.POSITIVE_INFINITY, -Double.MIN_VALUE}[r.nextInt(4)]
                    : r.nextGaussian() * 1e9;
            case DECIMAL -> {
                BigInteger max = BigInteger.TEN.pow(type.precision()).subtract(BigInteger.ONE);
                BigInteger unscaled = edge ? (r.nextBoolean() ? max : max.negate())
                        : new BigInteger(type.precision() * 3, r).mod(max).subtract(max.shiftRight(1));
                yield new BigDecimal(unscaled, type.scale());
            }
            case VARCHAR -> {
                String[] s = {"", "a", "héllo wörld", "中文字符", "😀 emoji", "x".repeat(20)};
                String pick = s[r.nextInt(s.length)];
                yield type.length() == DataType.UNBOUNDED && edge ? pick.repeat(40) : pick;
            }
            case DATE -> edge ? new LocalDate[] {LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31),
                LocalDate.ofEpochDay(Integer.MIN_VALUE)}[r.nextInt(3)] : LocalDate.ofEpochDay(r.nextInt(30_000));
            case TIMESTAMP -> edge ? Values.fromEpochMicros(r.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE)
                    : Values.fromEpochMicros(r.nextLong() >> 10);
            case BYTEA -> {
                byte[] b = new byte[r.nextInt(edge ? 300 : 8)];
                r.nextBytes(b);
                yield b;
            }
        };
        return Values.coerce(type, v, "c");
    }

    private static Object[] randomRow(long id, Random r) {
        Object[] row = new Object[TYPES.length + 1];
        row[0] = id;
        for (int i = 0; i < TYPES.length; i++) {
            row[i + 1] = value(TYPES[i], r);
        }
        return row;
    }

    /** Creates and fills {@code name} with rows whose ids are 0, 2, 4, ... (odd ids stay free). */
    private void fillEveryTypeTable(String name, int rows, long seed) {
        Random r = new Random(seed);
        try (Transaction tx = store.begin()) {
            tx.createTable(everyTypeTable(name));
            for (int i = 0; i < rows; i++) {
                tx.insert(name, randomRow(2L * i, r));
            }
            tx.commit();
        }
    }

    // ---------------------------------------------------------------- comparing

    private record Result(List<Object[]> rows, List<Integer> batchSizes) {}

    /** Runs a scan to its end, copying every batch out as canonical values. */
    private static Result drain(RowStoreScan scan) {
        List<Object[]> rows = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        VectorSchemaRoot first = null;
        for (VectorSchemaRoot b = scan.next(); b != null; b = scan.next()) {
            if (first == null) {
                first = b;
            }
            assertSame(first, b, "the batch is reused");
            assertTrue(b.getRowCount() > 0, "batches are never empty");
            assertEquals(scan.columns().size(), b.getFieldVectors().size());
            sizes.add(b.getRowCount());
            rows.addAll(Batches.rows(b));
        }
        assertNull(scan.next(), "stays at the end");
        return new Result(rows, sizes);
    }

    private static Result scanArrow(QueryContext ctx, Transaction tx, String table, KeyRange range, int[] columns, int batchSize) {
        try (RowStoreScan scan = new RowStoreScan(ctx, tx, table, range, columns, batchSize)) {
            Result r = drain(scan);
            assertEquals(0, ctx.allocatedBytes(), "the batch is freed at the end of the scan");
            return r;
        }
    }

    private static List<Object[]> expected(Transaction tx, String table, KeyRange range, int[] columns) {
        List<Object[]> out = new ArrayList<>();
        for (Row row : tx.scan(table, range)) {
            Object[] all = row.values();
            if (columns == null) {
                out.add(all);
                continue;
            }
            Object[] p = new Object[columns.length];
            for (int i = 0; i < columns.length; i++) {
                p[i] = all[columns[i]];
            }
            out.add(p);
        }
        return out;
    }

    private static void assertSameRows(List<Object[]> expected, List<Object[]> actual) {
        assertEquals(expected.size(), actual.size(), "row count");
        for (int r = 0; r < expected.size(); r++) {
            Object[] e = expected.get(r);
            Object[] a = actual.get(r);
            assertEquals(e.length, a.length, "columns of row " + r);
            for (int c = 0; c < e.length; c++) {
                assertSameValue(e[c], a[c], "row " + r + " column " + c);
            }
        }
    }

    private static void assertSameValue(Object e, Object a, String where) {
        if (e == null || a == null) {
            assertEquals(e, a, where);
            return;
        }
        assertEquals(e.getClass(), a.getClass(), where);
        if (e instanceof byte[] b) {
            assertArrayEquals(b, (byte[]) a, where);
        } else if (e instanceof Float f) {
            assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits((Float) a), where);
        } else if (e instanceof Double d) {
            assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) a), where);
        } else {
            assertEquals(e, a, where); // BigDecimal: the scale too
        }
    }

    private static void assertScanMatches(QueryContext ctx, Transaction tx, String table, KeyRange range, int[] columns) {
        assertSameRows(expected(tx, table, range, columns), scanArrow(ctx, tx, table, range, columns, ctx.batchSize()).rows());
    }

    // ---------------------------------------------------------------- tests

    @Test
    void everyTypeWithNullsAndEdgeValuesMatchesTheRowScan() {
        fillEveryTypeTable("t", 3000, 1);
        try (QueryContext ctx = query(); Transaction tx = store.begin(true)) {
            Result all = scanArrow(ctx, tx, "t", KeyRange.all(), null, 4096);
            assertEquals(List.of(3000), all.batchSizes());
            assertSameRows(expected(tx, "t", KeyRange.all(), null), all.rows());
        }
    }

    @Test
    void outputColumnsDescribeTheProjection() {
        fillEveryTypeTable("t", 1, 1);
        try (QueryContext ctx = query(); Transaction tx = store.begin(true);
                RowStoreScan scan = new RowStoreScan(ctx, tx, "t", KeyRange.all(), new int[] {9, 0})) {
            assertEquals(List.of(new BatchColumn("c8", DataType.decimal(15, 2), true), new BatchColumn("id", DataType.BIGINT, false)),
                    scan.columns());
            assertEquals("c8", scan.schema().getFields().get(0).getName());
            assertEquals(0, ctx.allocatedBytes(), "nothing is allocated before the first batch");
        }
    }

    @Test
    void projectionsInAnyOrderAndTheEmptyProjection() {
        fillEveryTypeTable("t", 700, 2);
        Random r = new Random(5);
        try (QueryContext ctx = query(); Transaction tx = store.begin(true)) {
            ctx.setBatchSize(256);
            for (int trial = 0; trial < 30; trial++) {
                List<Integer> cols = new ArrayList<>();
                for (int c = 0; c <= TYPES.length; c++) {
                    cols.add(c);
                }
                Collections.shuffle(cols, r);
                int[] columns = cols.subList(0, 1 + r.nextInt(cols.size())).stream().mapToInt(Integer::intValue).toArray();
                assertScanMatches(ctx, tx, "t", KeyRange.all(), columns);
            }
            Result none = scanArrow(ctx, tx, "t", KeyRange.all(), new int[0], 256);
            assertEquals(List.of(256, 256, 188), none.batchSizes(), "an empty projection still counts rows");
            assertThrows(IllegalArgumentException.class, () -> new RowStoreScan(ctx, tx, "t", KeyRange.all(), new int[] {1, 1}));
            assertThrows(IndexOutOfBoundsException.class, () -> new RowStoreScan(ctx, tx, "t", KeyRange.all(), new int[] {99}));
        }
    }

    @Test
    void tenThousandRowsMakeThreeBatchesOfAtMost4096() {
        fillEveryTypeTable("t", 10_000, 3);
        try (QueryContext ctx = query(); Transaction tx = store.begin(true)) {
            Result result = scanArrow(ctx, tx, "t", KeyRange.all(), null, ctx.batchSize());
            assertEquals(List.of(4096, 4096, 1808), result.batchSizes());
            assertSameRows(expected(tx, "t", KeyRange.all(), null), result.rows());
        }
    }

    @Test
    void keyRangesMatchTheRowScan() {
        fillEveryTypeTable("t", 1000, 4); // ids 0, 2, ..., 1998
        List<KeyRange> ranges = List.of(
                KeyRange.between(new Object[] {100L}, true, new Object[] {200L}, false),
                KeyRange.between(new Object[] {100L}, false, new Object[] {200L}, true),
                KeyRange.between(new Object[] {101L}, true, new Object[] {101L}, true),
                KeyRange.between(new Object[] {500L}, true, new Object[] {100L}, true),
                KeyRange.atLeast(1990L), KeyRange.lessThan(7L), KeyRange.prefix(998L), KeyRange.prefix(999L),
                KeyRange.atLeast(Long.MAX_VALUE), KeyRange.between(new Object[] {Long.MAX_VALUE}, false, null, true));
        try (QueryContext ctx = query(); Transaction tx = store.begin(true)) {
            ctx.setBatchSize(16);
            for (KeyRange range : ranges) {
                assertScanMatches(ctx, tx, "t", range, null);
                assertScanMatches(ctx, tx, "t", range, new int[] {12, 0});
            }
            assertEquals(50, scanArrow(ctx, tx, "t", ranges.get(0), new int[] {0}, 16).rows().size());
        }
    }

    @Test
    void pointLookupsAllocateBatchesForTheirKeysOnly() {
        fillEveryTypeTable("t", 5000, 5); // ids 0, 2, ..., 9998
        try (QueryContext ctx = query(); Transaction tx = store.begin(true)) {
            List<KeyRange> points = List.of(KeyRange.prefix(42L), KeyRange.prefix(43L), KeyRange.prefix(9998L));
            try (RowStoreScan scan = RowStoreScan.ofKeyRanges(ctx, tx, "t", points, null)) {
                VectorSchemaRoot b = scan.next();
                assertEquals(2, b.getRowCount());
                assertTrue(b.getVector(0).getValueCapacity() < ctx.batchSize(),
                        "capacity " + b.getVector(0).getValueCapacity() + " for 3 keys");
                assertEquals(List.of(42L, 9998L), Batches.rows(b).stream().map(r -> r[0]).toList());
                assertNull(scan.next());
            }
            List<KeyRange> many = new ArrayList<>();
            for (long id = 0; id < 10_000; id++) {
                many.add(KeyRange.prefix(id));
            }
            try (RowStoreScan scan = RowStoreScan.ofKeyRanges(ctx, tx, "t", many, new int[] {0})) {
                Result r = drain(scan);
                assertEquals(List.of(4096, 904), r.batchSizes(), "no more rows per batch than the batch size");
            }
            assertEquals(0, ctx.allocatedBytes());
        }
    }

    @Test
    void compositeKeyPrefixRangesAndTablesWithoutAKey() {
        try (Transaction tx = store.begin()) {
            tx.createTable(TableDef.builder("ev").column("year", DataType.INTEGER).column("name", DataType.TEXT)
                    .column("v", DataType.DOUBLE).primaryKey("year", "name").build());
            tx.createTable(TableDef.builder("heap").column("a", DataType.TEXT).column("b", DataType.INTEGER).build());
            for (int y = 2020; y < 2026; y++) {
                for (String n : List.of("b", "a", "ä", "c", "")) {
                    tx.insert("ev", y, n, y + 0.5);
                    tx.insert("heap", n, y);
                }
            }
            tx.commit();
        }
        try (QueryContext ctx = query(); Transaction tx = store.begin(true)) {
            assertScanMatches(ctx, tx, "ev", KeyRange.prefix(2023), null);
            assertScanMatches(ctx, tx, "ev", KeyRange.between(new Object[] {2021, "b"}, true, new Object[] {2024}, false), new int[] {1, 2});
            assertScanMatches(ctx, tx, "ev", KeyRange.all(), new int[] {2, 1, 0});
            assertScanMatches(ctx, tx, "heap", KeyRange.all(), null);
            assertEquals(30, scanArrow(ctx, tx, "heap", KeyRange.all(), null, 7).rows().size());
            try (RowStoreScan scan = new RowStoreScan(ctx, tx, "heap", KeyRange.prefix("a"), null)) {
                assertFails(SqlState.FEATURE_NOT_SUPPORTED, scan::next);
            }
        }
    }

    @Test
    void ownUncommittedWritesAndDeletesAreVisibleOthersAreNot() {
        fillEveryTypeTable("t", 2000, 6);
        Random r = new Random(9);
        try (QueryContext ctx = query(); Transaction mine = store.begin(); Transaction other = store.begin()) {
            ctx.setBatchSize(100);
            List<Object[]> before = expected(other, "t", KeyRange.all(), null);
            for (int i = 0; i < 300; i++) {
                mine.insert("t", randomRow(i % 2 == 0 ? 2L * i + 1 : 4001L + 2L * i, r)); // odd ids, some past the end
                mine.delete("t", 2L * r.nextInt(2000));
                mine.update("t", new Object[] {2L * r.nextInt(2000)}, Map.of("c12", "updated " + i, "c3", (long) i));
            }
            mine.insert("t", randomRow(-1L, r)); // before every committed key
            assertScanMatches(ctx, mine, "t", KeyRange.all(), null);
            assertScanMatches(ctx, mine, "t", KeyRange.between(new Object[] {500L}, true, new Object[] {1500L}, true), new int[] {0, 13});
            // Another transaction sees none of it.
            assertSameRows(before, scanArrow(ctx, other, "t", KeyRange.all(), null, 100).rows());
            // After commit, a new transaction sees it all; the old snapshot still does not.
            List<Object[]> mineRows = expected(mine, "t", KeyRange.all(), null);
            mine.commit();
            try (Transaction later = store.begin(true)) {
                assertSameRows(mineRows, scanArrow(ctx, later, "t", KeyRange.all(), null, 100).rows());
            }
            assertSameRows(before, scanArrow(ctx, other, "t", KeyRange.all(), null, 100).rows());
        }
    }

    @Test
    void fileBackedStoreScansTheSameAfterReopen(@TempDir Path dir) {
        store.close();
        store = RowStore.open(dir, RowStoreOptions.defaults().withFsync(false));
        fillEveryTypeTable("t", 1500, 7);
        try (Transaction tx = store.begin()) {
            tx.delete("t", 0L);
            tx.insert("t", randomRow(1L, new Random(1)));
            tx.commit();
        }
        List<Object[]> before;
        try (Transaction tx = store.begin(true)) {
            before = expected(tx, "t", KeyRange.all(), null);
        }
        store.close();
        store = RowStore.open(dir, RowStoreOptions.defaults().withFsync(false));
        try (QueryContext ctx = query(); Transaction tx = store.begin(true)) {
            Result result = scanArrow(ctx, tx, "t", KeyRange.all(), null, 512);
            assertEquals(List.of(512, 512, 476), result.batchSizes());
            assertSameRows(before, result.rows());
        }
    }

    @Test
    void emptyTablesAndRangesEndAtOnce() {
        fillEveryTypeTable("t", 0, 1);
        try (QueryContext ctx = query(); Transaction tx = store.begin(true)) {
            try (RowStoreScan scan = new RowStoreScan(ctx, tx, "t")) {
                assertNull(scan.next());
                assertNull(scan.next());
            }
            assertFails(SqlState.UNDEFINED_TABLE, () -> new RowStoreScan(ctx, tx, "missing"));
        }
    }

    @Test
    void closedScansRefuseAndClosingTwiceIsHarmless() {
        fillEveryTypeTable("t", 10, 1);
        try (QueryContext ctx = query(); Transaction tx = store.begin(true)) {
            RowStoreScan scan = new RowStoreScan(ctx, tx, "t");
            VectorSchemaRoot batch = scan.next();
            assertEquals(10, batch.getRowCount());
            assertTrue(ctx.allocatedBytes() > 0);
            scan.close();
            assertEquals(0, ctx.allocatedBytes(), "close frees the batch");
            scan.close();
            assertThrows(IllegalStateException.class, scan::next);
        }
    }

    @Test
    void aScanWhoseTransactionEndedFailsWith25000() {
        fillEveryTypeTable("t", 100, 1);
        try (QueryContext ctx = query()) {
            Transaction tx = store.begin(true);
            try (RowStoreScan scan = new RowStoreScan(ctx, tx, "t", KeyRange.all(), null, 10)) {
                scan.next();
                tx.close();
                assertFails(SqlState.INVALID_TRANSACTION_STATE, scan::next);
            }
        }
    }

    @Test
    void aMemoryLimitTooSmallForOneBatchIs53200AndLeaksNothing() {
        fillEveryTypeTable("t", 5000, 8);
        try (QueryContext ctx = new QueryContext(root, 64 * 1024); Transaction tx = store.begin(true);
                RowStoreScan scan = new RowStoreScan(ctx, tx, "t")) {
            DuetException e = assertFails(SqlState.OUT_OF_MEMORY, scan::next);
            assertTrue(e.getMessage().contains("query memory limit of 65536 bytes"), e.getMessage());
            assertEquals(0, ctx.allocatedBytes(), "a batch that could not be allocated is freed at once");
        }
    }

    @Test
    void stringsOutgrowingTheLimitMidBatchAre53200AndLeakNothing() {
        try (Transaction tx = store.begin()) {
            tx.createTable(TableDef.builder("docs").column("id", DataType.INTEGER).column("body", DataType.TEXT)
                    .primaryKey("id").build());
            for (int i = 0; i < 2000; i++) {
                tx.insert("docs", i, "x".repeat(2000));
            }
            tx.commit();
        }
        try (QueryContext ctx = new QueryContext(root, 1 << 20); Transaction tx = store.begin(true)) {
            RowStoreScan scan = new RowStoreScan(ctx, tx, "docs");
            assertFails(SqlState.OUT_OF_MEMORY, scan::next);
            assertTrue(ctx.allocatedBytes() > 0, "the batch is held until close");
            scan.close();
        }
    }

    @Test
    void cancelFromAnotherThreadStopsTheScanAtTheNextBatch() throws Exception {
        fillEveryTypeTable("t", 5000, 10);
        try (QueryContext ctx = query(); Transaction tx = store.begin(true);
                RowStoreScan scan = new RowStoreScan(ctx, tx, "t", KeyRange.all(), null, 100)) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch cancelled = new CountDownLatch(1);
            Thread canceller = new Thread(() -> {
                try {
                    running.await();
                    ctx.cancel();
                    cancelled.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            canceller.start();
            int batches = 0;
            DuetException failure = null;
            try {
                while (scan.next() != null) {
                    if (++batches == 3) {
                        running.countDown();
                        assertTrue(cancelled.await(10, TimeUnit.SECONDS));
                    }
                }
            } catch (DuetException e) {
                failure = e;
            }
            canceller.join();
            assertEquals(3, batches, "the batch after the cancel fails");
            assertTrue(failure != null, "cancelled scan ran to its end");
            assertEquals(SqlState.QUERY_CANCELED, failure.state());
            assertEquals("canceling statement due to user request", failure.getMessage());
        }
    }

    @Test
    void aTimeoutStopsTheScanWith57014() throws Exception {
        fillEveryTypeTable("t", 1000, 11);
        try (QueryContext ctx = query(); Transaction tx = store.begin(true);
                RowStoreScan scan = new RowStoreScan(ctx, tx, "t", KeyRange.all(), null, 100)) {
            ctx.setTimeout(Duration.ofMillis(50));
            scan.next();
            Thread.sleep(60);
            DuetException e = assertFails(SqlState.QUERY_CANCELED, scan::next);
            assertEquals("canceling statement due to statement timeout", e.getMessage());
        }
    }

    @Test
    void wideRowsEndBatchesEarly() {
        try (Transaction tx = store.begin()) {
            tx.createTable(TableDef.builder("wide").column("id", DataType.INTEGER).column("body", DataType.BYTEA)
                    .primaryKey("id").build());
            for (int i = 0; i < 40; i++) {
                tx.insert("wide", i, new byte[512 * 1024]);
            }
            tx.commit();
        }
        try (QueryContext ctx = query(); Transaction tx = store.begin(true)) {
            List<Integer> sizes = scanArrow(ctx, tx, "wide", KeyRange.all(), new int[] {0}, 4096).batchSizes();
            assertEquals(40, sizes.stream().mapToInt(Integer::intValue).sum());
            assertTrue(sizes.size() >= 3, "batches of about " + RowStoreScan.TARGET_BATCH_BYTES + " bytes: " + sizes);
        }
    }

    @Test
    void timestampsAndDatesKeepTheirExactValues() {
        try (Transaction tx = store.begin()) {
            tx.createTable(TableDef.builder("times").column("id", DataType.INTEGER).column("ts", DataType.TIMESTAMP)
                    .column("d", DataType.DATE).primaryKey("id").build());
            tx.insert("times", 1, LocalDateTime.of(2024, 2, 29, 23, 59, 59, 999_999_000), LocalDate.of(2024, 2, 29));
            tx.insert("times", 2, LocalDateTime.of(1969, 12, 31, 23, 59, 59, 1000), LocalDate.of(1969, 12, 31));
            tx.commit();
        }
        try (QueryContext ctx = query(); Transaction tx = store.begin(true)) {
            List<Object[]> rows = scanArrow(ctx, tx, "times", KeyRange.all(), new int[] {1, 2}, 10).rows();
            assertEquals(LocalDateTime.of(2024, 2, 29, 23, 59, 59, 999_999_000), rows.get(0)[0]);
            assertEquals(LocalDate.of(1969, 12, 31), rows.get(1)[1]);
            assertEquals(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 1000), rows.get(1)[0]);
        }
    }
}
