package dev.duet.rowstore;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive use of a database directory by one process: an OS file lock on {@code duet.lock}.
 * The OS releases it when the process dies, so a crash never leaves the directory locked.
 */
final class DirectoryLock implements AutoCloseable {
    static final String FILE = "duet.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DirectoryLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new DuetException(SqlState.IO_ERROR, "cannot open lock file " + file + ": " + e.getMessage(), e);
        }
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw DuetException.of(SqlState.OBJECT_IN_USE,
                    "database directory %s is already open in this process", dir);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new DuetException(SqlState.IO_ERROR, "cannot lock " + file + ": " + e.getMessage(), e);
        }
        if (l == null) {
            closeQuietly(ch);
            throw DuetException.of(SqlState.OBJECT_IN_USE,
                    "database directory %s is in use by another process (lock file %s)", dir, file);
        }
        return new DirectoryLock(ch, l);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException suppressed) {
            // already failing with a clearer error; the channel holds no lock
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
