package dev.duet.rowstore.wal;

import static dev.duet.rowstore.wal.WalTestSupport.HEADER;
import static dev.duet.rowstore.wal.WalTestSupport.appendRandom;
import static dev.duet.rowstore.wal.WalTestSupport.assertSameRecords;
import static dev.duet.rowstore.wal.WalTestSupport.base;
import static dev.duet.rowstore.wal.WalTestSupport.flipByte;
import static dev.duet.rowstore.wal.WalTestSupport.readAll;
import static dev.duet.rowstore.wal.WalTestSupport.recordsIn;
import static dev.duet.rowstore.wal.WalTestSupport.segments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.rowstore.wal.WalTestSupport.Collected;
import dev.duet.rowstore.wal.WalTestSupport.LogCapture;
import dev.duet.rowstore.wal.WalTestSupport.Rec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Torn tails are cut; damage anywhere else refuses to open. */
class WalRecoveryTest {
    private static final WalOptions OPTIONS = WalOptions.defaults().withSegmentSize(2048);

    @TempDir
    Path dir;
    private List<Rec> written;
    private List<Path> files;

    @BeforeEach
    void writeLog() {
        try (WalWriter writer = WalWriter.open(dir, 0, OPTIONS)) {
            written = appendRandom(writer, new Random(99), 300, 120);
        }
        files = segments(dir);
        assertTrue(files.size() >= 5);
    }

    private Path lastSegment() {
        return files.get(files.size() - 1);
    }

    private List<Rec> inSegment(int index) {
        long end = index + 1 < files.size() ? base(files.get(index + 1)) : written.get(written.size() - 1).end();
        return recordsIn(written, files.get(index), end);
    }

    enum Tear {
        CUT_IN_HEADER,
        CUT_IN_PAYLOAD,
        GARBAGE_APPENDED,
        ZEROS_APPENDED,
        LAST_RECORD_CRC
    }

    @ParameterizedTest
    @EnumSource(Tear.class)
    void tornTailIsCutAndTheLogContinues(Tear tear) throws Exception {
        Path last = lastSegment();
        List<Rec> lastRecords = inSegment(files.size() - 1);
        assertTrue(lastRecords.size() >= 2);
        Rec victim = lastRecords.get(lastRecords.size() - 1);
        long victimOffset = victim.lsn() - base(last);
        long fileSize = Files.size(last);
        List<Rec> survivors = new ArrayList<>(written);
        long tornOffset;
        switch (tear) {
            case CUT_IN_HEADER -> {
                truncate(last, victimOffset + 9);
                survivors.remove(survivors.size() - 1);
                tornOffset = victimOffset;
            }
            case CUT_IN_PAYLOAD -> {
                truncate(last, fileSize - 1);
                survivors.remove(survivors.size() - 1);
                tornOffset = victimOffset;
            }
            case GARBAGE_APPENDED -> {
                byte[] garbage = new byte[1000];
                new Random(1).nextBytes(garbage);
                Files.write(last, garbage, StandardOpenOption.APPEND);
                tornOffset = fileSize;
            }
            case ZEROS_APPENDED -> {
                Files.write(last, new byte[4096], StandardOpenOption.APPEND);
                tornOffset = fileSize;
            }
            case LAST_RECORD_CRC -> {
                flipByte(last, victimOffset + HEADER - 1);
                survivors.remove(survivors.size() - 1);
                tornOffset = victimOffset;
            }
            default -> throw new AssertionError(tear);
        }

        WalReader.ReadResult result;
        try (LogCapture log = new LogCapture()) {
            WalReader reader = WalReader.open(dir);
            List<Rec> replayed = new ArrayList<>();
            result = reader.read(0, (lsn, type, payload, len) -> replayed.add(new Rec(lsn, type, Arrays.copyOf(payload, len))));
            assertSameRecords(survivors, replayed);
            assertTrue(result.hasTornTail());
            assertEquals(last, result.tornTailFile());
            assertEquals(tornOffset, result.tornTailOffset());
            assertEquals(base(last) + tornOffset, result.endLsn());
            String warning = log.warnings().stream().filter(w -> w.contains("torn tail")).findFirst().orElseThrow();
            assertTrue(warning.contains(last.toString()) && warning.contains("offset " + tornOffset), warning);

            reader.truncateTornTail(result);
            assertEquals(tornOffset, Files.size(last));
        }

        try (WalWriter writer = WalWriter.open(dir, result.endLsn(), OPTIONS)) {
            survivors.addAll(appendRandom(writer, new Random(100), 100, 120));
        }
        Collected again = readAll(dir, 0);
        assertFalse(again.result.hasTornTail());
        assertSameRecords(survivors, again.records);
    }

    @Test
    void aTornTailIsNotReplayedAgainWithoutTruncation() throws Exception {
        // Reading twice without truncating reports the same tail: it is never handed to the handler.
        Files.write(lastSegment(), new byte[100], StandardOpenOption.APPEND);
        Collected first = readAll(dir, 0);
        Collected second = readAll(dir, 0);
        assertSameRecords(written, first.records);
        assertSameRecords(written, second.records);
        assertEquals(first.result, second.result);
        // And a writer refuses to append behind garbage it would otherwise hide.
        assertThrows(IllegalArgumentException.class, () -> WalWriter.open(dir, first.result.endLsn(), OPTIONS));
    }

    @Test
    void flippedByteInAMiddleRecordOfTheLastSegmentRefuses() throws Exception {
        Path last = lastSegment();
        List<Rec> lastRecords = inSegment(files.size() - 1);
        assertTrue(lastRecords.size() >= 3);
        Rec victim = lastRecords.get(1);
        long offset = victim.lsn() - base(last);
        flipByte(last, offset + HEADER - 1); // the type byte: CRC mismatch

        DuetException e = assertThrows(DuetException.class, () -> readAll(dir, 0));
        assertEquals(SqlState.DATA_CORRUPTED, e.state());
        assertTrue(e.getMessage().contains(last.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("offset " + offset), e.getMessage());
    }

    @Test
    void damagedLengthInAMiddleRecordRefuses() throws Exception {
        Path last = lastSegment();
        Rec victim = inSegment(files.size() - 1).get(0);
        long offset = victim.lsn() - base(last);
        try (FileChannel channel = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ByteBuffer length = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1 << 30);
            channel.write(length, offset);
        }
        DuetException e = assertThrows(DuetException.class, () -> readAll(dir, 0));
        assertEquals(SqlState.DATA_CORRUPTED, e.state());
        assertTrue(e.getMessage().contains(last.toString()) && e.getMessage().contains("offset " + offset), e.getMessage());
    }

    @Test
    void corruptRecordInANonLastSegmentRefuses() throws Exception {
        // The last record of an older segment: nothing valid follows it inside that file, yet it is
        // not a tail, because a later segment exists.
        Path second = files.get(1);
        List<Rec> records = inSegment(1);
        Rec victim = records.get(records.size() - 1);
        long offset = victim.lsn() - base(second);
        flipByte(second, offset + HEADER - 1);

        DuetException e = assertThrows(DuetException.class, () -> readAll(dir, 0));
        assertEquals(SqlState.DATA_CORRUPTED, e.state());
        assertTrue(e.getMessage().contains(second.toString()) && e.getMessage().contains("offset " + offset), e.getMessage());
        // Also when replay starts in that segment, and when it starts before it.
        assertThrows(DuetException.class, () -> readAll(dir, records.get(0).lsn()));
        assertThrows(DuetException.class, () -> readAll(dir, base(files.get(0))));
    }

    @Test
    void truncatedNonLastSegmentRefuses() throws Exception {
        Path second = files.get(1);
        truncate(second, Files.size(second) - 1);
        DuetException e = assertThrows(DuetException.class, () -> readAll(dir, 0));
        assertEquals(SqlState.DATA_CORRUPTED, e.state());
        assertTrue(e.getMessage().contains(second.toString()), e.getMessage());
    }

    @Test
    void missingMiddleSegmentRefuses() throws Exception {
        Path missing = files.get(2);
        Files.delete(missing);
        DuetException e = assertThrows(DuetException.class, () -> readAll(dir, 0));
        assertEquals(SqlState.DATA_CORRUPTED, e.state());
        assertTrue(e.getMessage().contains(files.get(1).toString()) && e.getMessage().contains("missing"), e.getMessage());
        // Even a replay that starts after the hole refuses: the log has lost data.
        assertThrows(DuetException.class, () -> readAll(dir, base(files.get(3))));
    }

    @Test
    void replayStartingBeforeTheOldestSegmentRefuses() throws Exception {
        Files.delete(files.get(0));
        DuetException e = assertThrows(DuetException.class, () -> readAll(dir, 0));
        assertEquals(SqlState.DATA_CORRUPTED, e.state());
        assertTrue(e.getMessage().contains(files.get(1).toString()), e.getMessage());
        // From the oldest remaining segment on, the log is fine.
        Collected rest = readAll(dir, base(files.get(1)));
        assertSameRecords(written.subList(inSegment(0).size(), written.size()), rest.records);
    }

    @Test
    void aStaleRecordCopiedToAnotherPositionNeverValidates() throws Exception {
        // Overwrite the last record with a copy of an earlier, perfectly valid record of the same
        // segment: its CRC is right but its lsn field names another position.
        Path last = lastSegment();
        List<Rec> lastRecords = inSegment(files.size() - 1);
        Rec source = lastRecords.get(0);
        Rec victim = lastRecords.get(lastRecords.size() - 1);
        byte[] bytes = Files.readAllBytes(last);
        int from = (int) (source.lsn() - base(last));
        int to = (int) (victim.lsn() - base(last));
        int length = HEADER + source.payload().length;
        byte[] patched = Arrays.copyOf(bytes, Math.max(bytes.length, to + length));
        System.arraycopy(bytes, from, patched, to, length);
        Files.write(last, patched);

        Collected read = readAll(dir, 0);
        assertSameRecords(written.subList(0, written.size() - 1), read.records);
        assertEquals(victim.lsn(), read.result.endLsn());
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }
}
