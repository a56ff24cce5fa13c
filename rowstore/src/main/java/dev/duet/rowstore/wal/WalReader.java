package dev.duet.rowstore.wal;

import static java.util.Objects.requireNonNull;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads the write-ahead log back for recovery and tells corruption from a torn tail. A bad record
 * at the end of the last segment, with nothing valid after it, is what a crash during a write
 * leaves behind: it is reported (a WARNING naming file and offset, and in the {@link ReadResult})
 * and {@link #truncateTornTail} cuts it off so that it is never replayed. Anything else — a bad
 * record with a valid record somewhere after it, a bad record in an older segment (older segments
 * were forced in full before the next one was created), a missing segment, a replay start outside
 * the log — throws {@link DuetException} with {@link SqlState#DATA_CORRUPTED}, naming the file and
 * offset: silently skipping committed data is never acceptable. A missing or empty directory is an
 * empty log that ends where the replay starts. Safe for concurrent use; it never writes except in
 * {@link #truncateTornTail}.
 */
public final class WalReader {
    private static final System.Logger LOG = System.getLogger(WalReader.class.getName());

    /** Receives each record; {@code payload} is reused between calls, valid for {@code len} bytes. */
    @FunctionalInterface
    public interface RecordHandler {
        void record(long lsn, byte type, byte[] payload, int len);
    }

    /**
     * The outcome of a {@link #read}: {@code endLsn} is the end of the last valid record, where
     * {@link WalWriter#open} continues; {@code tornTailFile} (null if none) and {@code
     * tornTailOffset} (-1 if none) locate a torn tail that was not replayed.
     */
    public record ReadResult(long endLsn, long recordCount, Path tornTailFile, long tornTailOffset, String tornTailReason) {
        public boolean hasTornTail() {
            return tornTailFile != null;
        }
    }

    private final Path dir;
    private final long[] bases;

    private WalReader(Path dir, long[] bases) {
        this.dir = dir;
        this.bases = bases;
    }

    /** The LSN just after a record that starts at {@code lsn} with a payload of {@code payloadLength} bytes. */
    public static long recordEnd(long lsn, int payloadLength) {
        return lsn + WalFormat.HEADER_SIZE + payloadLength;
    }

    /** Lists the segment files of {@code dir}; a missing directory is an empty log. */
    public static WalReader open(Path dir) {
        requireNonNull(dir, "dir is null");
        try {
            return new WalReader(dir, WalFormat.listSegments(dir));
        } catch (IOException e) {
            throw new DuetException(SqlState.IO_ERROR, "cannot list WAL segments in " + dir + ": " + e, e);
        }
    }

    /** Base LSN of the oldest segment, or -1 if there is none. */
    public long firstSegmentBase() {
        return bases.length == 0 ? -1 : bases[0];
    }

    /**
     * Calls {@code handler} for every valid record at or after {@code fromLsn}, in log order, and
     * returns where the valid log ends. {@code fromLsn} must be a record boundary or the end of the
     * log (a checkpoint LSN). With no segments at all the result is an empty log ending at {@code
     * fromLsn}. Never modifies files: see {@link #truncateTornTail}.
     *
     * @throws DuetException DATA_CORRUPTED on damage in the middle of the log or missing segments
     * @throws IllegalArgumentException if {@code fromLsn} falls inside a record
     */
    public ReadResult read(long fromLsn, RecordHandler handler) {
        return read(fromLsn, Long.MAX_VALUE, handler);
    }

    /**
     * Like {@link #read(long, RecordHandler)} but looks at no byte at or after {@code toLsn}, a
     * record boundary: for reading the durable prefix of a log that is being appended to (the
     * bytes a writer is adding concurrently are never read, so they cannot pass for damage). The
     * result's {@code endLsn} is {@code toLsn} unless the log ends earlier.
     */
    public ReadResult read(long fromLsn, long toLsn, RecordHandler handler) {
        requireNonNull(handler, "handler is null");
        if (fromLsn < 0) {
            throw new IllegalArgumentException("fromLsn is negative: " + fromLsn);
        }
        if (toLsn < fromLsn) {
            throw new IllegalArgumentException("toLsn " + toLsn + " is before fromLsn " + fromLsn);
        }
        if (bases.length == 0) {
            return new ReadResult(fromLsn, 0, null, -1, null);
        }
        long[] sizes = sizes();
        checkContiguous(sizes);
        if (fromLsn < bases[0]) {
            throw DuetException.of(SqlState.DATA_CORRUPTED,
                    "WAL replay must start at lsn %d but the oldest segment %s starts at lsn %d: segments are missing",
                    fromLsn, segmentPath(0), bases[0]);
        }
        int first = bases.length - 1;
        while (bases[first] > fromLsn) {
            first--;
        }
        CRC32C crc = new CRC32C();
        byte[] data = new byte[0];
        byte[] payload = new byte[256];
        long records = 0;
        long end = bases[first];
        int tornOffset = -1;
        int tornReason = 0;
        int last = bases.length - 1;
        while (last > first && bases[last] >= toLsn) {
            last--;
        }
        for (int s = first; s <= last; s++) {
            Path file = segmentPath(s);
            long base = bases[s];
            long bytes = Math.min(sizes[s], toLsn - base);
            if (bytes > Integer.MAX_VALUE - 64) {
                throw DuetException.of(SqlState.DATA_CORRUPTED, "WAL segment %s is too large to be valid: %d bytes", file, sizes[s]);
            }
            int size = (int) bytes;
            if (data.length < size) {
                data = new byte[size];
            }
            readFully(file, data, size);
            long startOffset = fromLsn - base;
            int p = 0;
            while (p < size) {
                int result = WalFormat.check(data, size, p, base, crc);
                if (result < 0) {
                    if (s != last) {
                        throw DuetException.of(SqlState.DATA_CORRUPTED,
                                "corrupt WAL record in %s at offset %d (lsn %d): %s; later segments follow, so the"
                                        + " middle of the log is damaged",
                                file, p, base + p, WalFormat.describe(result));
                    }
                    int next = findValidRecord(data, size, p + 1, base, crc);
                    if (next >= 0) {
                        throw DuetException.of(SqlState.DATA_CORRUPTED,
                                "corrupt WAL record in %s at offset %d (lsn %d): %s; a valid record follows at"
                                        + " offset %d, so the middle of the log is damaged",
                                file, p, base + p, WalFormat.describe(result), next);
                    }
                    tornOffset = p;
                    tornReason = result;
                    break;
                }
                if (p < startOffset && p + result > startOffset) {
                    throw new IllegalArgumentException("fromLsn " + fromLsn + " is not a record boundary: the record at lsn "
                            + (base + p) + " in " + file + " spans it");
                }
                if (p >= startOffset) {
                    int length = result - WalFormat.HEADER_SIZE;
                    if (payload.length < length) {
                        payload = new byte[Math.max(length, payload.length * 2)];
                    }
                    System.arraycopy(data, p + WalFormat.HEADER_SIZE, payload, 0, length);
                    handler.record(base + p, data[p + WalFormat.TYPE_OFFSET], payload, length);
                    records++;
                }
                p += result;
            }
            end = base + p;
        }
        if (fromLsn > end) {
            throw DuetException.of(SqlState.DATA_CORRUPTED,
                    "WAL replay must start at lsn %d but the valid log ends at lsn %d in %s", fromLsn, end, segmentPath(last));
        }
        if (tornOffset < 0) {
            return new ReadResult(end, records, null, -1, null);
        }
        Path file = segmentPath(last);
        String reason = WalFormat.describe(tornReason);
        LOG.log(System.Logger.Level.WARNING, String.format(
                "WAL %s has a torn tail at offset %d (lsn %d): %s; its last %d bytes are not replayed",
                file, tornOffset, end, reason, sizes[last] - tornOffset));
        return new ReadResult(end, records, file, tornOffset, reason);
    }

    /**
     * Cuts the torn tail that {@code result} reports (no-op without one) and forces the file, so
     * the garbage can neither be replayed nor be mistaken for mid-log damage once new records are
     * appended after it. Call before {@link WalWriter#open}.
     */
    public void truncateTornTail(ReadResult result) {
        requireNonNull(result, "result is null");
        if (!result.hasTornTail()) {
            return;
        }
        Path file = result.tornTailFile();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (size < result.tornTailOffset()) {
                throw new IllegalStateException("WAL segment " + file + " is only " + size
                        + " bytes long, shorter than its torn tail offset " + result.tornTailOffset());
            }
            channel.truncate(result.tornTailOffset());
            channel.force(true);
        } catch (IOException e) {
            throw new DuetException(SqlState.IO_ERROR, "cannot truncate torn tail of WAL segment " + file + ": " + e, e);
        }
        LOG.log(System.Logger.Level.WARNING, String.format("truncated WAL %s at offset %d", file, result.tornTailOffset()));
    }

    /**
     * The first offset at or after {@code from} that holds a record valid in every respect,
     * including its lsn field matching its position; -1 if none. The lsn test rejects almost every
     * position before the CRC has to be computed.
     */
    private static int findValidRecord(byte[] data, int size, int from, long base, CRC32C crc) {
        for (int q = from; q <= size - WalFormat.HEADER_SIZE; q++) {
            if (WalFormat.getLong(data, q + WalFormat.LSN_OFFSET) == base + q
                    && WalFormat.check(data, size, q, base, crc) > 0) {
                return q;
            }
        }
        return -1;
    }

    private long[] sizes() {
        long[] sizes = new long[bases.length];
        for (int i = 0; i < bases.length; i++) {
            Path file = segmentPath(i);
            try {
                sizes[i] = Files.size(file);
            } catch (IOException e) {
                throw new DuetException(SqlState.IO_ERROR, "cannot read WAL segment " + file + ": " + e, e);
            }
        }
        return sizes;
    }

    /** Every segment but the last was forced in full before the next was created, so each must end where the next begins. */
    private void checkContiguous(long[] sizes) {
        for (int i = 0; i + 1 < bases.length; i++) {
            long end = bases[i] + sizes[i];
            if (end < bases[i + 1]) {
                throw DuetException.of(SqlState.DATA_CORRUPTED,
                        "WAL segment %s ends at lsn %d (offset %d) but the next segment %s starts at lsn %d: segments are missing",
                        segmentPath(i), end, sizes[i], segmentPath(i + 1), bases[i + 1]);
            }
            if (end > bases[i + 1]) {
                throw DuetException.of(SqlState.DATA_CORRUPTED,
                        "WAL segment %s runs past the start of the next segment %s: bytes from offset %d overlap lsn %d",
                        segmentPath(i), segmentPath(i + 1), bases[i + 1] - bases[i], bases[i + 1]);
            }
        }
    }

    private Path segmentPath(int index) {
        return dir.resolve(WalFormat.segmentFileName(bases[index]));
    }

    private static void readFully(Path file, byte[] data, int size) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.wrap(data, 0, size);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, buffer.position()) < 0) {
                    throw DuetException.of(SqlState.DATA_CORRUPTED,
                            "WAL segment %s shrank while being read: offset %d", file, buffer.position());
                }
            }
        } catch (IOException e) {
            throw new DuetException(SqlState.IO_ERROR, "cannot read WAL segment " + file + ": " + e, e);
        }
    }
}
