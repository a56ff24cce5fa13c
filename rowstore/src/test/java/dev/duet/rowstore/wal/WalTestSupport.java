package dev.duet.rowstore.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

/** Shared fixtures of the WAL tests: records, random payloads, segment listing, log capture. */
final class WalTestSupport {
    static final int HEADER = 17;

    private WalTestSupport() {}

    record Rec(long lsn, byte type, byte[] payload) {
        long end() {
            return lsn + HEADER + payload.length;
        }
    }

    /** Appends one record with a payload placed at a non-zero offset of a larger array. */
    static Rec append(WalWriter writer, byte type, byte[] payload) {
        byte[] padded = new byte[payload.length + 5];
        System.arraycopy(payload, 0, padded, 3, payload.length);
        long end = writer.append(type, padded, 3, payload.length);
        return new Rec(end - HEADER - payload.length, type, payload);
    }

    static byte[] randomPayload(Random random, int length) {
        byte[] payload = new byte[length];
        random.nextBytes(payload);
        return payload;
    }

    static List<Rec> appendRandom(WalWriter writer, Random random, int count, int maxLength) {
        List<Rec> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte type = (byte) (1 + random.nextInt(127));
            records.add(append(writer, type, randomPayload(random, random.nextInt(maxLength + 1))));
        }
        return records;
    }

    static final class Collected {
        final List<Rec> records = new ArrayList<>();
        WalReader.ReadResult result;
    }

    static Collected readAll(Path dir, long fromLsn) {
        Collected collected = new Collected();
        collected.result = WalReader.open(dir).read(fromLsn,
                (lsn, type, payload, len) -> collected.records.add(new Rec(lsn, type, Arrays.copyOf(payload, len))));
        return collected;
    }

    static void assertSameRecords(List<Rec> expected, List<Rec> actual) {
        assertEquals(expected.size(), actual.size(), "record count");
        for (int i = 0; i < expected.size(); i++) {
            Rec e = expected.get(i);
            Rec a = actual.get(i);
            assertEquals(e.lsn(), a.lsn(), "lsn of record " + i);
            assertEquals(e.type(), a.type(), "type of record " + i);
            assertArrayEquals(e.payload(), a.payload(), "payload of record " + i);
        }
    }

    static List<Path> segments(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("\\d{20}\\.wal") && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long base(Path segment) {
        return Long.parseLong(segment.getFileName().toString().substring(0, 20));
    }

    static List<Rec> recordsIn(List<Rec> records, Path segment, long segmentEnd) {
        long base = base(segment);
        return records.stream().filter(r -> r.lsn() >= base && r.lsn() < segmentEnd).toList();
    }

    static void flipByte(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= 0x5a;
        Files.write(file, bytes);
    }

    /** Captures what {@link WalReader} logs (System.Logger goes to java.util.logging by default). */
    static final class LogCapture implements AutoCloseable {
        final List<LogRecord> records = new ArrayList<>();
        private final Logger logger = Logger.getLogger(WalReader.class.getName());
        private final Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (records) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };

        LogCapture() {
            logger.addHandler(handler);
        }

        List<String> warnings() {
            synchronized (records) {
                return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                        .map(LogRecord::getMessage).toList();
            }
        }

        @Override
        public void close() {
            logger.removeHandler(handler);
        }
    }
}
