package dev.duet.rowstore;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A checkpoint's delta: the rows changed and the keys deleted since the checkpoint before, written
 * once, sequentially, and read back in full on open. Layout (big-endian): a magic number, then per
 * entry the table id (8 bytes), the key's length (4) and bytes, the row's length (4; -1 for a
 * deleted key) and bytes; then the entry count (8) and a CRC32C of everything before it (4).
 *
 * <p>A sequential file, not a Chronicle Map like the full checkpoint: a delta is never looked up,
 * only read whole, in order, and a put into a Chronicle Map (hashing, a segment search, entry
 * allocation) cost a delta checkpoint 90% of its CPU when profiled under batched inserts, where
 * appending an entry here is a copy.
 */
final class DeltaFile {
    private static final long MAGIC = 0x31544C4454455544L; // "DUETDLT1" little-endian
    private static final int BUFFER = 1 << 16;

    private DeltaFile() {
    }

    /**
     * Writes {@code rows} (row null: a deleted key) to {@code file} and forces it to disk; returns
     * the bytes of its entries ({@link Checkpointer#entryBytes}). On failure the file is deleted.
     */
    static long write(Path file, Checkpointer.RowSource rows) throws IOException {
        long[] stats = new long[2]; // entries, entry bytes
        CRC32C crc = new CRC32C();
        try (FileOutputStream fos = new FileOutputStream(file.toFile());
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(fos, crc), BUFFER))) {
            out.writeLong(MAGIC);
            IOException[] failure = new IOException[1];
            rows.forEach((tableId, key, row) -> {
                if (failure[0] != null) {
                    return;
                }
                try {
                    out.writeLong(tableId);
                    out.writeInt(key.length);
                    out.write(key);
                    if (row == null) {
                        out.writeInt(-1);
                    } else {
                        out.writeInt(row.length);
                        out.write(row);
                    }
                } catch (IOException e) {
                    failure[0] = e;
                }
                stats[0]++;
                stats[1] += Checkpointer.entryBytes(key, row);
            });
            if (failure[0] != null) {
                throw failure[0];
            }
            out.writeLong(stats[0]);
            out.flush();
            int sum = (int) crc.getValue();
            out.writeInt(sum);
            out.flush();
            fos.getFD().sync();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return stats[1];
    }

    /** Streams every entry of {@code file} to {@code sink} in the order written. */
    static void read(Path file, Checkpointer.RowSink sink) throws IOException {
        CRC32C crc = new CRC32C();
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new CheckedInputStream(new BufferedInputStream(raw, BUFFER), crc))) {
            if (in.readLong() != MAGIC) {
                throw DuetException.of(SqlState.DATA_CORRUPTED, "%s is not a Duet checkpoint delta", file);
            }
            long size = Files.size(file);
            long at = 8;
            long count = 0;
            // Entries run up to the 12-byte trailer.
            while (at < size - 12) {
                long tableId = in.readLong();
                byte[] key = new byte[length(in, size - at, file)];
                in.readFully(key);
                int rowLength = in.readInt();
                byte[] row = null;
                if (rowLength != -1) {
                    row = new byte[checked(rowLength, size - at, file)];
                    in.readFully(row);
                }
                at += 16 + key.length + (row == null ? 0 : row.length);
                count++;
                sink.row(tableId, key, row);
            }
            long written = in.readLong();
            int expected = (int) crc.getValue();
            int stored = in.readInt();
            if (at != size - 12 || written != count || stored != expected) {
                throw DuetException.of(SqlState.DATA_CORRUPTED, "checkpoint delta %s is damaged", file);
            }
        } catch (EOFException e) {
            throw DuetException.of(SqlState.DATA_CORRUPTED, "checkpoint delta %s is truncated", file);
        }
    }

    private static int length(DataInputStream in, long left, Path file) throws IOException {
        return checked(in.readInt(), left, file);
    }

    private static int checked(int length, long left, Path file) {
        if (length < 0 || length > left) {
            throw DuetException.of(SqlState.DATA_CORRUPTED, "checkpoint delta %s holds a malformed entry", file);
        }
        return length;
    }
}
