package dev.duet.rowstore.wal;

import static dev.duet.rowstore.wal.WalTestSupport.HEADER;
import static dev.duet.rowstore.wal.WalTestSupport.assertSameRecords;
import static dev.duet.rowstore.wal.WalTestSupport.base;
import static dev.duet.rowstore.wal.WalTestSupport.readAll;
import static dev.duet.rowstore.wal.WalTestSupport.segments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.rowstore.wal.WalTestSupport.Rec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalRetentionTest {
    /** 10 records of 100 bytes per 1000-byte segment: segment k holds records 10k..10k+9. */
    private static final WalOptions OPTIONS = WalOptions.defaults().withSegmentSize(1000);

    private static List<Rec> appendHundredByteRecords(WalWriter writer, int count) {
        List<Rec> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(WalTestSupport.append(writer, (byte) 1, new byte[100 - HEADER]));
            writer.awaitDurable(writer.endLsn());
        }
        return records;
    }

    @Test
    void segmentsBeforeTheLowWaterMarkAreDeleted(@TempDir Path dir) {
        try (WalWriter writer = WalWriter.open(dir, 0, OPTIONS)) {
            List<Rec> written = appendHundredByteRecords(writer, 95);
            assertEquals(10, segments(dir).size());
            WalRetention retention = new WalRetention(writer);
            assertEquals(writer.endLsn(), retention.lowWaterMark());

            retention.register("checkpoint", 0);
            retention.register("sync", 0);
            assertThrows(IllegalArgumentException.class, () -> retention.register("sync", 0));
            retention.advance("checkpoint", written.get(55).lsn());
            assertEquals(0, retention.lowWaterMark());
            assertEquals(0, retention.deleteObsoleteSegments());

            retention.advance("sync", written.get(35).lsn());
            assertThrows(IllegalArgumentException.class, () -> retention.advance("sync", written.get(34).lsn()));
            assertThrows(IllegalArgumentException.class, () -> retention.advance("nobody", 0));
            assertThrows(IllegalArgumentException.class, () -> retention.advance("sync", writer.endLsn() + 1));
            assertEquals(3500, retention.lowWaterMark());
            assertEquals(3, retention.deleteObsoleteSegments(), "segments ending at 1000, 2000, 3000");
            assertEquals(3000, base(segments(dir).get(0)));
            assertSameRecords(written.subList(35, 95), readAll(dir, retention.lowWaterMark()).records);
            DuetException gone = assertThrows(DuetException.class, () -> readAll(dir, 0));
            assertEquals(SqlState.DATA_CORRUPTED, gone.state());

            retention.unregister("sync");
            assertEquals(5500, retention.lowWaterMark());
            assertEquals(2, retention.deleteObsoleteSegments());
            retention.unregister("checkpoint");
            assertThrows(IllegalArgumentException.class, () -> retention.unregister("checkpoint"));
            assertEquals(writer.endLsn(), retention.lowWaterMark());
            assertEquals(4, retention.deleteObsoleteSegments());
            assertEquals(List.of(dir.resolve("00000000000000009000.wal")), segments(dir), "the current segment stays");
            assertEquals(0, writer.deleteSegmentsBefore(Long.MAX_VALUE));

            written.addAll(appendHundredByteRecords(writer, 20));
            assertSameRecords(written.subList(90, 115), readAll(dir, 9000).records);
        }
    }

    @Test
    void deletedSegmentsStayDeletedAcrossReopen(@TempDir Path dir) {
        List<Rec> written;
        try (WalWriter writer = WalWriter.open(dir, 0, OPTIONS)) {
            written = appendHundredByteRecords(writer, 45);
            assertEquals(2, writer.deleteSegmentsBefore(2000));
            assertEquals(0, writer.deleteSegmentsBefore(2999));
        }
        WalReader.ReadResult result = readAll(dir, 2000).result;
        assertEquals(4500, result.endLsn());
        try (WalWriter writer = WalWriter.open(dir, result.endLsn(), OPTIONS)) {
            written.addAll(appendHundredByteRecords(writer, 10));
            assertEquals(1, writer.deleteSegmentsBefore(3000));
        }
        assertSameRecords(written.subList(30, 55), readAll(dir, 3000).records);
    }
}
