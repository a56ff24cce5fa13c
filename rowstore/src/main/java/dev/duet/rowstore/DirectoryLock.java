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
 * The OS releases it when the process dies, so a crash never leaves the directory locked. The
 * file also records whether the last process to hold it closed the database cleanly: it says
 * {@code open} while a process has the database, {@code closed} after a clean close, so the next
 * open knows when files may have been left mid-update by a crash.
 */
final class DirectoryLock implements AutoCloseable {
    static final String FILE = "duet.lock";
    private static final byte[] OPEN = "open\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] CLOSED = "closed\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final FileChannel channel;
    private final FileLock lock;
    private final boolean previousCloseClean;

    private DirectoryLock(FileChannel channel, FileLock lock, boolean previousCloseClean) {
        this.channel = channel;
        this.lock = lock;
        this.previousCloseClean = previousCloseClean;
    }

    /** False when the previous holder died without closing the database. */
    boolean previousCloseClean() {
        return previousCloseClean;
    }

    static DirectoryLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
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
        try {
            java.nio.ByteBuffer state = java.nio.ByteBuffer.allocate(16);
            ch.read(state, 0);
            boolean clean = !new String(state.array(), 0, state.position(), java.nio.charset.StandardCharsets.US_ASCII)
                    .startsWith("open");
            write(ch, OPEN);
            return new DirectoryLock(ch, l, clean);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new DuetException(SqlState.IO_ERROR, "cannot write lock file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(FileChannel ch, byte[] content) throws IOException {
        ch.truncate(0);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(content);
        long pos = 0;
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
        ch.force(false);
    }

    /** Records a clean close; call only after everything is on disk, just before {@link #close()}. */
    void markClean() throws IOException {
        write(channel, CLOSED);
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
