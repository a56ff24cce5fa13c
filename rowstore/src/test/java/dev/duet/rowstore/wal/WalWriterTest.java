package dev.duet.rowstore.wal;

import static dev.duet.rowstore.wal.WalTestSupport.HEADER;
import static dev.duet.rowstore.wal.WalTestSupport.append;
import static dev.duet.rowstore.wal.WalTestSupport.appendRandom;
import static dev.duet.rowstore.wal.WalTestSupport.assertSameRecords;
import static dev.duet.rowstore.wal.WalTestSupport.base;
import static dev.duet.rowstore.wal.WalTestSupport.readAll;
import static dev.duet.rowstore.wal.WalTestSupport.recordsIn;
import static dev.duet.rowstore.wal.WalTestSupport.segments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.rowstore.wal.WalTestSupport.Collected;
import dev.duet.rowstore.wal.WalTestSupport.Rec;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalWriterTest {
    private static final WalOptions SMALL = WalOptions.defaults().withSegmentSize(4096);

    @Test
    void roundTripAcrossSegments(@TempDir Path dir) throws Exception {
        Random random = new Random(42);
        List<Rec> written = new ArrayList<>();
        long end;
        try (WalWriter writer = WalWriter.open(dir, 0, SMALL)) {
            for (int i = 0; i < 3000; i++) {
                // Mostly small records, some larger than a segment, and empty ones.
                int length = i % 97 == 0 ? 5000 + random.nextInt(4000) : i % 13 == 0 ? 0 : random.nextInt(400);
                written.add(append(writer, (byte) (1 + random.nextInt(127)), WalTestSupport.randomPayload(random, length)));
                if (i % 7 == 0) {
                    writer.awaitDurable(writer.endLsn());
                    assertEquals(writer.endLsn(), writer.durableLsn());
                }
            }
            end = writer.endLsn();
            assertEquals(written.get(written.size() - 1).end(), end);
        }
        Collected read = readAll(dir, 0);
        assertSameRecords(written, read.records);
        assertEquals(end, read.result.endLsn());
        assertEquals(written.size(), read.result.recordCount());
        assertFalse(read.result.hasTornTail());

        List<Path> files = segments(dir);
        assertTrue(files.size() > 50, "expected many segments, got " + files.size());
        for (int i = 0; i < files.size(); i++) {
            long segmentEnd = i + 1 < files.size() ? base(files.get(i + 1)) : end;
            List<Rec> inSegment = recordsIn(written, files.get(i), segmentEnd);
            assertFalse(inSegment.isEmpty(), "segment without records: " + files.get(i));
            assertEquals(base(files.get(i)), inSegment.get(0).lsn(), "a segment starts with a record");
            assertEquals(segmentEnd, inSegment.get(inSegment.size() - 1).end(), "no record spans segments");
            long size = Files.size(files.get(i));
            assertEquals(segmentEnd - base(files.get(i)), size);
            assertTrue(size <= SMALL.segmentSize() || inSegment.size() == 1,
                    "only a single oversized record may exceed the segment size: " + files.get(i));
        }
    }

    @Test
    void readsFromAMiddleLsn(@TempDir Path dir) {
        List<Rec> written;
        try (WalWriter writer = WalWriter.open(dir, 0, SMALL)) {
            written = appendRandom(writer, new Random(7), 500, 300);
        }
        for (int k : new int[] {1, 137, 250, 499}) {
            Collected read = readAll(dir, written.get(k).lsn());
            assertSameRecords(written.subList(k, written.size()), read.records);
            assertEquals(written.get(499).end(), read.result.endLsn());
        }
        Collected atEnd = readAll(dir, written.get(499).end());
        assertTrue(atEnd.records.isEmpty());
        assertEquals(written.get(499).end(), atEnd.result.endLsn());

        assertThrows(IllegalArgumentException.class, () -> readAll(dir, written.get(200).lsn() + 3));
        DuetException beyond = assertThrows(DuetException.class, () -> readAll(dir, written.get(499).end() + 100));
        assertEquals(SqlState.DATA_CORRUPTED, beyond.state());
    }

    @Test
    void emptyOrMissingDirectoryIsAnEmptyLogEndingAtTheStart(@TempDir Path dir) {
        Collected missing = readAll(dir.resolve("nope"), 1234);
        assertTrue(missing.records.isEmpty());
        assertEquals(1234, missing.result.endLsn());
        Collected empty = readAll(dir, 0);
        assertEquals(0, empty.result.endLsn());

        // A writer started at a checkpoint LSN names its first segment after it.
        try (WalWriter writer = WalWriter.open(dir, 1234, SMALL)) {
            Rec rec = append(writer, (byte) 1, new byte[] {1, 2, 3});
            assertEquals(1234, rec.lsn());
        }
        assertEquals(List.of(dir.resolve("00000000000000001234.wal")), segments(dir));
        assertEquals(1, readAll(dir, 1234).records.size());
    }

    @Test
    void emptyPayloadAndTypeValidation(@TempDir Path dir) {
        try (WalWriter writer = WalWriter.open(dir, 0, SMALL)) {
            assertEquals(HEADER, writer.append((byte) 5, new byte[0], 0, 0));
            assertThrows(IllegalArgumentException.class, () -> writer.append((byte) 0, new byte[1], 0, 1));
            assertThrows(IllegalArgumentException.class, () -> writer.append((byte) -1, new byte[1], 0, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> writer.append((byte) 1, new byte[4], 2, 3));
            assertEquals(HEADER, writer.endLsn(), "a rejected append leaves no trace");
        }
        Collected read = readAll(dir, 0);
        assertEquals(1, read.records.size());
        assertEquals(0, read.records.get(0).payload().length);
        assertEquals(5, read.records.get(0).type());
    }

    @Test
    void recordsLargerThanTheBufferGrowIt(@TempDir Path dir) {
        List<Rec> written = new ArrayList<>();
        try (WalWriter writer = WalWriter.open(dir, 0, SMALL.withInitialBufferSize(64))) {
            Random random = new Random(3);
            for (int i = 0; i < 20; i++) {
                written.add(append(writer, (byte) 9, WalTestSupport.randomPayload(random, 10_000 * i)));
            }
            writer.flush();
        }
        assertSameRecords(written, readAll(dir, 0).records);
    }

    @Test
    void asyncModeWritesInTheBackground(@TempDir Path dir) throws Exception {
        WalOptions async = SMALL.withDurability(WalOptions.Durability.ASYNC).withAsyncFlushIntervalMillis(5);
        List<Rec> written;
        try (WalWriter writer = WalWriter.open(dir, 0, async)) {
            written = new ArrayList<>(appendRandom(writer, new Random(1), 200, 200));
            writer.awaitDurable(writer.endLsn());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (writer.durableLsn() < writer.endLsn() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(writer.endLsn(), writer.durableLsn(), "background thread made the log durable");
            assertSameRecords(written, readAll(dir, 0).records);

            written.addAll(appendRandom(writer, new Random(2), 50, 200));
            writer.flush();
            assertEquals(writer.endLsn(), writer.durableLsn());
            assertSameRecords(written, readAll(dir, 0).records);
        }
        assertSameRecords(written, readAll(dir, 0).records);
    }

    @Test
    void asyncDataReachesTheFileOnClose(@TempDir Path dir) throws Exception {
        WalOptions lazy = SMALL.withDurability(WalOptions.Durability.ASYNC).withAsyncFlushIntervalMillis(3_600_000);
        List<Rec> written;
        try (WalWriter writer = WalWriter.open(dir, 0, lazy)) {
            written = appendRandom(writer, new Random(5), 100, 100);
            writer.awaitDurable(writer.endLsn());
            assertEquals(0, writer.durableLsn(), "ASYNC awaitDurable does not wait");
            assertEquals(0, Files.size(segments(dir).get(0)));
        }
        assertSameRecords(written, readAll(dir, 0).records);
    }

    @Test
    void asyncFlushesEarlyWhenMuchIsPending(@TempDir Path dir) throws Exception {
        WalOptions lazy = SMALL.withDurability(WalOptions.Durability.ASYNC).withAsyncFlushIntervalMillis(3_600_000)
                .withAsyncFlushBytes(10_000);
        try (WalWriter writer = WalWriter.open(dir, 0, lazy)) {
            appendRandom(writer, new Random(5), 200, 200);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (writer.durableLsn() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(writer.durableLsn() > 0, "the flusher was woken before its interval");
        }
    }

    @Test
    void appenderFlushesItselfUnderBackpressure(@TempDir Path dir) {
        try (WalWriter writer = WalWriter.open(dir, 0, SMALL.withMaxPendingBytes(2000))) {
            appendRandom(writer, new Random(5), 200, 100);
            assertTrue(writer.durableLsn() > 0);
            assertTrue(writer.endLsn() - writer.durableLsn() <= 2000 + HEADER + 100);
        }
    }

    @Test
    void operationsAfterCloseThrow(@TempDir Path dir) {
        WalWriter writer = WalWriter.open(dir, 0, SMALL);
        long end = writer.append((byte) 1, new byte[10], 0, 10);
        writer.close();
        writer.close();
        assertEquals(end, writer.durableLsn());
        assertClosed(() -> writer.append((byte) 1, new byte[10], 0, 10));
        assertClosed(() -> writer.awaitDurable(end));
        assertClosed(writer::flush);
        assertClosed(() -> writer.deleteSegmentsBefore(end));
        assertEquals(1, readAll(dir, 0).records.size());

        WalWriter async = WalWriter.open(dir, end, SMALL.withDurability(WalOptions.Durability.ASYNC));
        async.close();
        assertClosed(() -> async.append((byte) 1, new byte[10], 0, 10));
        assertClosed(() -> async.awaitDurable(end));
    }

    private static void assertClosed(Runnable action) {
        DuetException e = assertThrows(DuetException.class, action::run);
        assertEquals(SqlState.CONNECTION_DOES_NOT_EXIST, e.state());
    }

    @Test
    void anIoFailureFailsTheWriterForGood(@TempDir Path dir) throws Exception {
        // 11 records of 100 bytes: the 11th does not fit a 1024-byte segment, so the flush rolls to
        // a segment at lsn 1000, whose name is taken by a directory: creating it fails.
        Files.createDirectory(dir.resolve("00000000000000001000.wal"));
        WalWriter writer = WalWriter.open(dir, 0, SMALL.withSegmentSize(1024));
        long end = 0;
        for (int i = 0; i < 11; i++) {
            end = writer.append((byte) 1, new byte[100 - HEADER], 0, 100 - HEADER);
        }
        long last = end;
        DuetException failed = assertThrows(DuetException.class, () -> writer.awaitDurable(last));
        assertEquals(SqlState.IO_ERROR, failed.state());
        assertTrue(failed.getMessage().contains("00000000000000001000.wal"), failed.getMessage());

        DuetException later = assertThrows(DuetException.class, () -> writer.append((byte) 1, new byte[1], 0, 1));
        assertEquals(SqlState.IO_ERROR, later.state());
        assertTrue(later.getMessage().contains("00000000000000001000.wal"), later.getMessage());
        assertThrows(DuetException.class, () -> writer.awaitDurable(100));
        assertThrows(DuetException.class, writer::flush);
        assertTrue(writer.durableLsn() < last, "never pretends the failed batch is durable");
        assertEquals(SqlState.IO_ERROR, assertThrows(DuetException.class, writer::close).state());
        writer.close();

        // What did reach the disk is intact: the first segment's 10 records.
        Collected read = readAll(dir, 0);
        assertEquals(10, read.records.size());
        assertEquals(1000, read.result.endLsn());
    }

    @Test
    void anInterruptedCommitterDoesNotBreakTheLog(@TempDir Path dir) {
        List<Rec> written = new ArrayList<>();
        try (WalWriter writer = WalWriter.open(dir, 0, SMALL)) {
            for (int i = 0; i < 20; i++) {
                written.add(append(writer, (byte) 1, new byte[] {(byte) i}));
                Thread.currentThread().interrupt();
                writer.awaitDurable(written.get(i).end());
                assertTrue(Thread.interrupted(), "the interrupt is preserved for the caller");
                assertEquals(writer.endLsn(), writer.durableLsn());
            }
        }
        assertSameRecords(written, readAll(dir, 0).records);
    }

    @Test
    void openRefusesAStartLsnThatDoesNotMatchTheSegments(@TempDir Path dir) throws Exception {
        List<Rec> written;
        try (WalWriter writer = WalWriter.open(dir, 0, SMALL)) {
            written = appendRandom(writer, new Random(11), 100, 100);
        }
        long end = written.get(99).end();
        assertThrows(IllegalArgumentException.class, () -> WalWriter.open(dir, end - 1, SMALL));
        assertThrows(IllegalArgumentException.class, () -> WalWriter.open(dir, end + 1, SMALL));
        assertThrows(IllegalArgumentException.class, () -> WalWriter.open(dir, 0, SMALL));

        // Continuing a non-full last segment.
        int before = segments(dir).size();
        List<Rec> all = new ArrayList<>(written);
        try (WalWriter writer = WalWriter.open(dir, end, SMALL)) {
            all.add(append(writer, (byte) 2, new byte[] {42}));
        }
        assertEquals(before, segments(dir).size());
        // A full last segment: the next writer starts a new segment at the end.
        long end2 = all.get(all.size() - 1).end();
        try (WalWriter writer = WalWriter.open(dir, end2, SMALL.withSegmentSize(10))) {
            all.add(append(writer, (byte) 3, new byte[] {43}));
        }
        assertEquals(before + 1, segments(dir).size());
        assertEquals(end2, base(segments(dir).get(before)));
        assertSameRecords(all, readAll(dir, 0).records);
    }

    @Test
    void appendDoesNotAllocateInSteadyState(@TempDir Path dir) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        long thread = Thread.currentThread().getId();
        byte[] payload = new byte[100];
        try (WalWriter writer = WalWriter.open(dir, 0, WalOptions.defaults())) {
            long allocated = 0;
            for (int round = 0; round < 30; round++) {
                long before = threads.getThreadAllocatedBytes(thread);
                for (int i = 0; i < 1000; i++) {
                    writer.append((byte) 1, payload, 0, payload.length);
                }
                allocated = threads.getThreadAllocatedBytes(thread) - before;
                writer.flush();
            }
            assertTrue(allocated < 1024, "1000 appends allocated " + allocated + " bytes");
        }
    }
}
