package dev.duet.columnstore;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.io.ByteSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The column store's small files (manifest, delete vectors): written whole with a CRC32C trailer
 * and replaced atomically (temporary file, fsync, rename, fsync of the directory), so a crash
 * leaves either the old or the new file and a damaged one is recognised, never half-read.
 */
final class DurableFiles {
    private DurableFiles() {
    }

    /** Replaces {@code file} with {@code body} followed by its CRC32C. */
    static void replace(Path file, ByteSink body) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        CRC32C crc = new CRC32C();
        crc.update(body.array(), 0, body.size());
        ByteBuffer buffer = ByteBuffer.allocate(body.size() + 4);
        buffer.put(body.array(), 0, body.size()).putInt((int) crc.getValue()).flip();
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(file.getParent());
        } catch (IOException e) {
            throw new DuetException(SqlState.IO_ERROR, "cannot write " + file + ": " + e, e);
        }
    }

    /** The body of {@code file} (without its CRC), or null if it does not exist; XX001 if its CRC does not match. */
    static byte[] read(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new DuetException(SqlState.IO_ERROR, "cannot read " + file + ": " + e, e);
        }
        if (all.length < 4) {
            throw DuetException.of(SqlState.DATA_CORRUPTED, "column store file %s is truncated (%d bytes)", file, all.length);
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        int stored = ByteBuffer.wrap(all, all.length - 4, 4).getInt();
        if (stored != (int) crc.getValue()) {
            throw DuetException.of(SqlState.DATA_CORRUPTED, "column store file %s has a bad checksum", file);
        }
        return java.util.Arrays.copyOf(all, all.length - 4);
    }

    /** Makes renames and creations in {@code dir} durable. */
    static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw new DuetException(SqlState.IO_ERROR, "cannot sync directory " + dir + ": " + e, e);
        }
    }
}
