package dev.duet.engine.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import dev.duet.rowstore.Row;
import dev.duet.rowstore.RowStoreOptions;
import dev.duet.rowstore.Transaction;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged WAL files, at database level. A torn tail (what a crash during a write leaves) is cut on
 * open and only the torn commit is missing; damage in the middle of the log refuses to open with
 * XX001 naming the file and offset and changes no file; a directory held by another process
 * refuses to open with 55006 and loses nothing once that process is killed.
 *
 * <p>The databases here never checkpoint (checkpointOnClose off, no background trigger reached),
 * so the WAL is the only copy of every commit; 4 KB segments spread the log over several files.
 */
class CorruptWalTest {
    private static final long SEED = Long.getLong("duet.crash.seed", 0xC0_2207L);
    /** 45 transactions leave several records in the last 4 KB segment; 40 leave exactly one. */
    private static final int TXNS = 45;
    private static final int TXNS_LAST_ALONE = 40;
    private static final int ROWS_PER_TX = 3;

    @TempDir
    Path tmp;

    private Path db;

    private static DuetConfig walOnly() {
        return DuetConfig.defaults().withRowStore(RowStoreOptions.defaults()
                .withCheckpointOnClose(false)
                .withCheckpointWalBytes(1L << 40)
                .withCheckpointInterval(Duration.ofDays(1))
                .withWalSegmentBytes(4096));
    }

    private static TableDef itemsTable() {
        return TableDef.builder("items")
                .column("tx", DataType.INTEGER)
                .column("k", DataType.INTEGER)
                .column("v", DataType.TEXT)
                .primaryKey("tx", "k")
                .build();
    }

    private static String value(int tx, int k) {
        return "tx" + tx + "-row" + k + "-" + "x".repeat(40 + (tx * 7 + k) % 23);
    }

    /** Commits transactions {@code from..to}, each writing ROWS_PER_TX rows. */
    private static void commit(Duet d, int from, int to) {
        for (int tx = from; tx <= to; tx++) {
            try (Transaction t = d.begin()) {
                for (int k = 0; k < ROWS_PER_TX; k++) {
                    t.insert("items", tx, k, value(tx, k));
                }
                t.commit();
            }
        }
    }

    /** Creates the database with {@code txns} committed transactions, closed, its log spread over several segments. */
    private void createDatabase(int txns) {
        db = tmp.resolve("db");
        try (Duet d = Duet.open(db, walOnly())) {
            d.createTable(itemsTable());
            commit(d, 1, txns);
        }
        assertFalse(Files.exists(db.resolve("checkpoint.meta")), "the test needs a database without checkpoint");
    }

    /** Exactly the transactions {@code expected} are present, each with all its rows intact. */
    private static void assertTransactions(Duet d, Set<Integer> expected) {
        Map<Integer, List<Row>> byTx = new TreeMap<>();
        try (Transaction t = d.begin(true)) {
            for (Row r : t.scan("items")) {
                byTx.computeIfAbsent((Integer) r.get("tx"), x -> new ArrayList<>()).add(r);
            }
        }
        for (Map.Entry<Integer, List<Row>> e : byTx.entrySet()) {
            int tx = e.getKey();
            assertTrue(expected.contains(tx), "transaction " + tx + " should not be there: " + e.getValue());
            assertEquals(ROWS_PER_TX, e.getValue().size(), "transaction " + tx + " is half-visible: " + e.getValue());
            for (Row r : e.getValue()) {
                int k = (Integer) r.get("k");
                assertEquals(value(tx, k), r.get("v"), "row (" + tx + ", " + k + ")");
            }
        }
        assertEquals(expected, byTx.keySet(), "transactions present");
    }

    private static Set<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    // ------------------------------------------------------------------ WAL file helpers

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(db.resolve("wal"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".wal")).sorted().toList();
        }
    }

    /** A record in a segment file: where it starts and how long it is, header included. */
    private record Rec(int offset, int size) {
    }

    /** Walks a segment's records by their length fields, checking each lsn field against its position. */
    private static List<Rec> records(Path segment) throws IOException {
        long base = Long.parseLong(segment.getFileName().toString().replace(".wal", ""));
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(segment)).order(ByteOrder.LITTLE_ENDIAN);
        List<Rec> out = new ArrayList<>();
        int p = 0;
        while (p < b.limit()) {
            int len = b.getInt(p);
            assertEquals(base + p, b.getLong(p + 8), "lsn field of the record at offset " + p + " of " + segment);
            out.add(new Rec(p, 17 + len));
            p += 17 + len;
        }
        assertEquals(b.limit(), p, segment + " does not end at a record boundary");
        return out;
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    private static void append(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.APPEND);
    }

    private static void xorByte(Path file, long offset, int mask) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, offset);
            one.flip();
            byte v = (byte) (one.get(0) ^ mask);
            ch.write(ByteBuffer.wrap(new byte[] {v}), offset);
        }
    }

    /**
     * Every data file of the database directory, by relative path, with its bytes. The lock file
     * is left out: it holds no data, only whether its owner is (or was last) open, and every open
     * attempt that gets the lock writes that.
     */
    private Map<String, byte[]> snapshotFiles() throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(db)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p) && !p.getFileName().toString().equals("duet.lock")) {
                    out.put(db.relativize(p).toString(), Files.readAllBytes(p));
                }
            }
        }
        return out;
    }

    private void assertFilesUnchanged(Map<String, byte[]> before) throws IOException {
        Map<String, byte[]> after = snapshotFiles();
        assertEquals(before.keySet(), after.keySet(), "files in the database directory");
        for (String f : before.keySet()) {
            assertTrue(Arrays.equals(before.get(f), after.get(f)), f + " was modified by the failed open");
        }
    }

    // ------------------------------------------------------------------ (a) torn tail

    /** What a crash can leave at the end of the last segment. */
    enum TailDamage {
        /** The file ends in the middle of the last record's payload. */
        CUT_IN_PAYLOAD(true),
        /** The file ends in the middle of the last record's header. */
        CUT_IN_HEADER(true),
        /** The last record's second half is random bytes (a write that reached the disk as garbage), with more after it. */
        GARBAGE_IN_LAST_RECORD(true),
        /** The last record's second half and some more are zeros (the file grew but the data never arrived). */
        ZEROS_IN_LAST_RECORD(true),
        /** Random bytes after the last complete record. */
        GARBAGE_AFTER_LAST_RECORD(false),
        /** Zeros after the last complete record. */
        ZEROS_AFTER_LAST_RECORD(false);

        final boolean lastCommitTorn;

        TailDamage(boolean lastCommitTorn) {
            this.lastCommitTorn = lastCommitTorn;
        }
    }

    static Stream<Arguments> tailCases() {
        return Stream.of(TailDamage.values()).flatMap(d -> Stream.of(Arguments.of(d, TXNS), Arguments.of(d, TXNS_LAST_ALONE)));
    }

    @ParameterizedTest(name = "{0}, {1} transactions")
    @MethodSource("tailCases")
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void tornTailIsCutAndOnlyTheTornCommitIsLost(TailDamage damage, int txns) throws IOException {
        createDatabase(txns);
        List<Path> segs = segments();
        assertTrue(segs.size() >= 3, "the log should span several segments: " + segs);
        Path last = segs.get(segs.size() - 1);
        List<Rec> recs = records(last);
        assertEquals(txns == TXNS_LAST_ALONE, recs.size() == 1, "records in the last segment: " + recs);
        Rec lastRec = recs.get(recs.size() - 1);
        long size = Files.size(last);
        Random random = new Random(SEED ^ damage.ordinal());
        byte[] garbage = new byte[700];
        random.nextBytes(garbage);
        long validEnd = damage.lastCommitTorn ? lastRec.offset() : size;
        switch (damage) {
            case CUT_IN_PAYLOAD -> truncate(last, lastRec.offset() + 17 + (lastRec.size() - 17) / 2);
            case CUT_IN_HEADER -> truncate(last, lastRec.offset() + 9);
            case GARBAGE_IN_LAST_RECORD -> {
                truncate(last, lastRec.offset() + lastRec.size() / 2);
                append(last, garbage);
            }
            case ZEROS_IN_LAST_RECORD -> {
                truncate(last, lastRec.offset() + lastRec.size() / 2);
                append(last, new byte[lastRec.size() + 4096]);
            }
            case GARBAGE_AFTER_LAST_RECORD -> append(last, garbage);
            case ZEROS_AFTER_LAST_RECORD -> append(last, new byte[4096]);
            default -> throw new IllegalStateException(damage.toString());
        }
        System.out.printf("torn tail %s: %s (%d records), last record at offset %d (%d bytes), file %d -> %d bytes%n",
                damage, last.getFileName(), recs.size(), lastRec.offset(), lastRec.size(), size, Files.size(last));

        Set<Integer> expected = range(1, damage.lastCommitTorn ? txns - 1 : txns);
        try (Duet d = Duet.open(db, walOnly())) {
            assertTransactions(d, expected);
            assertEquals(validEnd, Files.size(last), "the torn tail should be cut off on open");
            commit(d, 101, 110);
            assertTransactions(d, union(expected, range(101, 110)));
        }
        expected = union(expected, range(101, 110));
        for (int i = 0; i < 2; i++) {
            try (Duet d = Duet.open(db, walOnly())) {
                assertTransactions(d, expected);
            }
        }
        // The log is whole again: every segment is a clean sequence of records.
        for (Path s : segments()) {
            records(s);
        }
    }

    private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        Set<Integer> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }

    // ------------------------------------------------------------------ (b) damage in the middle

    /** Damage with valid log after it: never a torn tail. */
    enum MiddleDamage {
        /** A payload byte of the second record of the last segment; valid records follow in the same file. */
        PAYLOAD_BYTE_IN_LAST_SEGMENT,
        /** A payload byte of the second record of the first segment; later segments follow. */
        PAYLOAD_BYTE_IN_OLDER_SEGMENT,
        /** The CRC field of an early record. */
        CRC_FIELD,
        /** The length field of an early record. */
        LENGTH_FIELD,
        /** The lsn field of an early record. */
        LSN_FIELD,
        /** An older segment lost its last record (it was complete before the next segment was created). */
        OLDER_SEGMENT_TRUNCATED,
        /** A segment in the middle of the log is missing. */
        MIDDLE_SEGMENT_DELETED
    }

    @ParameterizedTest
    @EnumSource(MiddleDamage.class)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void damageInTheMiddleRefusesToOpenAndChangesNothing(MiddleDamage damage) throws IOException {
        createDatabase(TXNS);
        List<Path> segs = segments();
        assertTrue(segs.size() >= 3, "the log should span several segments: " + segs);
        Map<String, byte[]> original = snapshotFiles();
        Path first = segs.get(0);
        Path lastSeg = segs.get(segs.size() - 1);
        Path file;
        long offset;
        switch (damage) {
            case PAYLOAD_BYTE_IN_LAST_SEGMENT -> {
                List<Rec> recs = records(lastSeg);
                assertTrue(recs.size() >= 3, "the last segment should hold several records");
                file = lastSeg;
                offset = recs.get(1).offset();
                xorByte(file, offset + 17 + 20, 0x5A);
            }
            case PAYLOAD_BYTE_IN_OLDER_SEGMENT -> {
                file = first;
                offset = records(first).get(1).offset();
                xorByte(file, offset + 17 + 20, 0x01);
            }
            case CRC_FIELD -> {
                file = first;
                offset = records(first).get(2).offset();
                xorByte(file, offset + 4, 0x80);
            }
            case LENGTH_FIELD -> {
                file = first;
                offset = records(first).get(1).offset();
                xorByte(file, offset, 0x04);
            }
            case LSN_FIELD -> {
                file = segs.get(1);
                offset = records(file).get(1).offset();
                xorByte(file, offset + 8, 0x10);
            }
            case OLDER_SEGMENT_TRUNCATED -> {
                file = segs.get(1);
                List<Rec> recs = records(file);
                offset = recs.get(recs.size() - 1).offset();
                truncate(file, offset);
            }
            case MIDDLE_SEGMENT_DELETED -> {
                Path gone = segs.get(1);
                Files.delete(gone);
                // The reader names the segment before the hole and where it ends.
                file = segs.get(0);
                offset = Files.size(file);
            }
            default -> throw new IllegalStateException(damage.toString());
        }
        Map<String, byte[]> damaged = snapshotFiles();

        DuetException e = assertThrows(DuetException.class, () -> Duet.open(db, walOnly()).close());
        System.out.printf("middle damage %s: %s%n", damage, e.getMessage());
        assertEquals(SqlState.DATA_CORRUPTED, e.state(), "SQLSTATE of " + e);
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), "message should name " + file + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("offset " + offset), "message should name offset " + offset + ": " + e.getMessage());
        assertFilesUnchanged(damaged);
        // A second attempt fails the same way: the first left no lock and no half-repair behind.
        DuetException again = assertThrows(DuetException.class, () -> Duet.open(db, walOnly()).close());
        assertEquals(e.getMessage(), again.getMessage());
        assertFilesUnchanged(damaged);

        // Undo the damage: everything is there.
        for (Map.Entry<String, byte[]> f : original.entrySet()) {
            Files.write(db.resolve(f.getKey()), f.getValue());
        }
        try (Duet d = Duet.open(db, walOnly())) {
            assertTransactions(d, range(1, TXNS));
        }
    }

    // ------------------------------------------------------------------ (c) a second process

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void directoryHeldByAnotherProcessIsRefusedAndNothingIsLost() throws Exception {
        db = tmp.resolve("db");
        TableDef held = TableDef.builder("held").column("id", DataType.BIGINT).column("v", DataType.TEXT).primaryKey("id").build();
        try (Duet d = Duet.open(db)) {
            d.createTable(held);
            for (long i = 1; i <= 10; i++) {
                d.insert("held", i, "parent-" + i);
            }
        }
        Map<Long, String> expected = new HashMap<>();
        for (long i = 1; i <= 10; i++) {
            expected.put(i, "parent-" + i);
        }
        int childRows = 5;
        try (ChildJvm child = ChildJvm.start(tmp.resolve("hold.err"), "hold", db.toString(), "1000", Integer.toString(childRows))) {
            if (!child.awaitLines("READY"::equals, 1, Duration.ofSeconds(120))) {
                fail("holding child ended early: " + child.drain() + "\n" + child.stderrTail());
            }
            for (int attempt = 0; attempt < 2; attempt++) {
                long t0 = System.nanoTime();
                DuetException e = assertThrows(DuetException.class, () -> Duet.open(db).close());
                System.out.printf("second process open attempt %d (%d ms): %s%n", attempt,
                        (System.nanoTime() - t0) / 1_000_000, e);
                assertEquals(SqlState.OBJECT_IN_USE, e.state(), "SQLSTATE of " + e);
                assertTrue(e.getMessage().contains(db.toString()), "message should name " + db + ": " + e.getMessage());
            }
            assertTrue(child.isAlive(), "the holder must be unaffected by the refused open");
            child.kill9();
            for (String line : child.drain()) {
                if (line.startsWith("ACK ")) {
                    long id = Long.parseLong(line.substring(4));
                    expected.put(id, "child-" + id);
                }
            }
        }
        assertEquals(10 + childRows, expected.size(), "the child acknowledged all its rows before READY");
        try (Duet d = Duet.open(db)) {
            Map<Long, String> actual = new HashMap<>();
            for (Row r : d.scan("held")) {
                actual.put((Long) r.get("id"), (String) r.get("v"));
            }
            assertEquals(expected, actual);
            // And the database is writable again.
            d.insert("held", 2000L, "after");
        }
        try (Duet d = Duet.open(db)) {
            assertEquals(10 + childRows + 1, d.scan("held").size());
        }
    }

    @Test
    void secondOpenInTheSameProcessIsRefused() {
        db = tmp.resolve("db");
        try (Duet d = Duet.open(db, walOnly())) {
            d.createTable(itemsTable());
            commit(d, 1, 2);
            DuetException e = assertThrows(DuetException.class, () -> Duet.open(db, walOnly()).close());
            assertEquals(SqlState.OBJECT_IN_USE, e.state());
            assertTrue(e.getMessage().contains(db.toString()), e.getMessage());
            assertTransactions(d, range(1, 2));
            commit(d, 3, 3);
        }
        try (Duet d = Duet.open(db, walOnly())) {
            assertTransactions(d, range(1, 3));
        }
    }
}
