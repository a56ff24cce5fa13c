package dev.duet.rowstore.wal;

import static java.util.Objects.requireNonNull;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;

/**
 * Appends records to the write-ahead log with group commit. {@link #append} only copies a record
 * into an in-memory buffer under a short lock and returns its end LSN; {@link #awaitDurable}
 * makes everything before an LSN durable. Concurrent committers share fsyncs leader/follower
 * style: a committer that finds no flush in progress becomes the leader, swaps the whole pending
 * buffer out, writes and forces it while appenders keep filling the other buffer, then publishes
 * {@link #durableLsn()} and wakes every follower at once; followers whose records were in the
 * batch return, and the rest elect the next leader, whose batch holds all of their records. In
 * {@link WalOptions.Durability#ASYNC} mode a daemon thread does the flushing instead. Appenders
 * never wait for an fsync in progress, except under backpressure ({@link
 * WalOptions#maxPendingBytes()}). After any I/O failure the writer is failed for good and every
 * later call throws: after a failed write or fsync nothing can be promised about what reached the
 * disk. Thread-safe; the locks are described at their fields.
 */
public final class WalWriter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WalWriter.class.getName());

    private final Path dir;
    private final WalOptions options;
    private final boolean async;

    /*
     * appendLock guards the pending buffer and endLsn; taken by every append, held for a copy.
     * flushLock is held only for moments: to elect the flush leader (the `flushing` flag), to
     * publish its result, and for followers to wait on. The leader owns the files and the spare
     * buffer while it writes, holding no lock then except briefly appendLock (the swap) or
     * segmentsLock (the list of older segments, when a segment rolls). These are plain monitors:
     * unlike ReentrantLock, contention on them allocates nothing on the heap.
     */
    private final Object appendLock = new Object();
    private final Object flushLock = new Object();
    private final Object segmentsLock = new Object();

    // guarded by appendLock: records appended but not yet handed to a flush, little-endian.
    private ByteBuffer pending;
    // guarded by appendLock: reused for every record so that append does not allocate.
    private final CRC32C crc = new CRC32C();
    // guarded by appendLock: lsn and type, the CRC'ed header bytes, laid out as on disk.
    private final byte[] crcHeader = new byte[WalFormat.CRC_HEADER_BYTES];
    // written under appendLock; volatile so endLsn() and the flusher read it without the lock.
    private volatile long endLsn;
    // written under appendLock (so no append slips in after close froze endLsn); volatile for reads.
    private volatile boolean closed;

    // guarded by flushLock: a leader is writing; the fields below marked "leader" are its alone.
    private boolean flushing;
    // written under flushLock; volatile so that awaitDurable's fast path reads it lock-free.
    private volatile long durableLsn;
    // set once under flushLock; volatile so append and awaitDurable see it without the lock.
    private volatile DuetException failure;

    // leader (handed from leader to leader through flushLock): the buffer that becomes `pending`
    // at the next swap, empty between flushes.
    private ByteBuffer spare;
    // leader: the current (last) segment.
    private FileChannel channel;
    private Path segmentPath;
    private long segmentBase;
    private long segmentLength;
    private boolean segmentDirty;
    // leader: the file of the I/O operation in progress, for error messages.
    private Path ioPath;
    // leader; volatile for syncCount().
    private volatile long syncCount;

    // guarded by segmentsLock: base LSNs of the segments before the current one, ascending.
    private final List<Long> olderSegments;
    // guarded by segmentsLock: base LSN of the current segment, the end of the last older one.
    private long currentSegmentBase;

    // The ASYNC background writer; null in FSYNC mode.
    private final Thread flusher;
    // no lock: set once by close, polled by the flusher.
    private volatile boolean stopFlusher;

    private WalWriter(Path dir, WalOptions options, FileChannel channel, Path segmentPath, long segmentBase,
            long segmentLength, List<Long> olderSegments) {
        this.dir = dir;
        this.options = options;
        this.async = options.durability() == WalOptions.Durability.ASYNC;
        this.pending = newBuffer(options.initialBufferSize());
        this.spare = newBuffer(options.initialBufferSize());
        this.channel = channel;
        this.segmentPath = segmentPath;
        this.segmentBase = segmentBase;
        this.segmentLength = segmentLength;
        this.olderSegments = olderSegments;
        this.currentSegmentBase = segmentBase;
        this.endLsn = segmentBase + segmentLength;
        this.durableLsn = endLsn;
        if (async) {
            flusher = new Thread(this::runFlusher, "duet-wal-flusher");
            flusher.setDaemon(true);
            flusher.start();
        } else {
            flusher = null;
        }
    }

    /**
     * Opens the log in {@code dir} (created if missing) for appending at {@code startLsn}, the end
     * of the valid log as {@link WalReader} reported it (after {@link
     * WalReader#truncateTornTail}). Appends continue the last segment if it ends exactly at {@code
     * startLsn} and is not full; otherwise a new segment starts at {@code startLsn}.
     *
     * @throws IllegalArgumentException if existing segments do not end exactly at {@code startLsn}
     *     (appending would overwrite or leave a hole)
     */
    public static WalWriter open(Path dir, long startLsn, WalOptions options) {
        requireNonNull(dir, "dir is null");
        requireNonNull(options, "options is null");
        if (startLsn < 0) {
            throw new IllegalArgumentException("startLsn is negative: " + startLsn);
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            long[] bases = WalFormat.listSegments(dir);
            List<Long> older = new ArrayList<>();
            for (long base : bases) {
                older.add(base);
            }
            if (bases.length > 0) {
                long lastBase = bases[bases.length - 1];
                Path last = dir.resolve(WalFormat.segmentFileName(lastBase));
                long size = Files.size(last);
                if (lastBase > startLsn || lastBase + size != startLsn) {
                    throw new IllegalArgumentException(String.format(
                            "WAL segment %s holds %d bytes (up to lsn %d) but the log is to continue at lsn %d;"
                                    + " recover with WalReader and truncate its torn tail first",
                            last, size, lastBase + size, startLsn));
                }
                if (size < options.segmentSize()) {
                    older.remove(older.size() - 1);
                    channel = FileChannel.open(last, StandardOpenOption.WRITE);
                    return new WalWriter(dir, options, channel, last, lastBase, size, older);
                }
            }
            Path path = dir.resolve(WalFormat.segmentFileName(startLsn));
            channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            WalFormat.syncDirectory(dir);
            return new WalWriter(dir, options, channel, path, startLsn, 0, older);
        } catch (IOException e) {
            closeQuietly(channel, e);
            throw new DuetException(errorState(e), "cannot open WAL in " + dir + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel, e);
            throw e;
        }
    }

    /**
     * Adds a record to the log and returns its end LSN, the position right after it; the record
     * itself starts at the returned value minus {@code 17 + len}. No I/O: the record becomes
     * durable with {@link #awaitDurable}, {@link #flush}, or (in ASYNC mode) shortly by itself.
     *
     * @param type caller-defined record type, 1 to 127 (0 marks garbage on disk)
     */
    public long append(byte type, byte[] payload, int off, int len) {
        requireNonNull(payload, "payload is null");
        Objects.checkFromIndexSize(off, len, payload.length);
        if (type <= 0) {
            throw new IllegalArgumentException("record type must be in [1, 127]: " + type);
        }
        if (len > WalFormat.MAX_PAYLOAD) {
            throw new IllegalArgumentException("WAL record payload too large: " + len + " bytes");
        }
        int size = WalFormat.HEADER_SIZE + len;
        long end;
        int pendingBytes;
        synchronized (appendLock) {
            checkUsable();
            ByteBuffer buffer = pending;
            if (buffer.remaining() < size) {
                buffer = grow(size);
            }
            long lsn = endLsn;
            WalFormat.putLong(crcHeader, 0, lsn);
            crcHeader[WalFormat.CRC_HEADER_BYTES - 1] = type;
            crc.reset();
            crc.update(crcHeader, 0, WalFormat.CRC_HEADER_BYTES);
            crc.update(payload, off, len);
            buffer.putInt(len).putInt((int) crc.getValue()).putLong(lsn).put(type).put(payload, off, len);
            end = lsn + size;
            endLsn = end;
            pendingBytes = buffer.position();
        }
        if (pendingBytes > options.maxPendingBytes()) {
            flushTo(end);
        } else if (flusher != null && pendingBytes > options.asyncFlushBytes()
                && pendingBytes - size <= options.asyncFlushBytes()) {
            LockSupport.unpark(flusher);
        }
        return end;
    }

    /** Same as {@code append(type, payload, 0, payload.length)}. */
    public long append(byte type, byte[] payload) {
        return append(type, payload, 0, payload.length);
    }

    /**
     * Blocks until every record before {@code lsn} is written and forced to disk (FSYNC mode);
     * returns at once in ASYNC mode. Call it after releasing any lock other committers need, so
     * that they can join the same fsync.
     */
    public void awaitDurable(long lsn) {
        checkUsable();
        if (lsn > endLsn) {
            throw new IllegalArgumentException("lsn " + lsn + " is beyond the end of the log " + endLsn);
        }
        if (async || lsn <= durableLsn) {
            return;
        }
        flushTo(lsn);
    }

    /**
     * Writes and forces every record before {@code lsn} in either durability mode (at once if it
     * is durable already); for a reader of the log that must not persist anything the log could
     * still lose.
     */
    public void force(long lsn) {
        checkUsable();
        if (lsn > endLsn) {
            throw new IllegalArgumentException("lsn " + lsn + " is beyond the end of the log " + endLsn);
        }
        if (lsn > durableLsn) {
            flushTo(lsn);
        }
    }

    /** Writes and forces everything appended so far, in either durability mode. */
    public void flush() {
        checkUsable();
        flushTo(endLsn);
    }

    /** The LSN after the last appended record: where the next record will start. */
    public long endLsn() {
        return endLsn;
    }

    /** Every record before this LSN is on disk and forced. */
    public long durableLsn() {
        return durableLsn;
    }

    /** How many times a segment file has been forced: with group commit, fewer than commits. */
    public long syncCount() {
        return syncCount;
    }

    public Path directory() {
        return dir;
    }

    /**
     * Deletes every segment file whose records all end at or before {@code lsn}, oldest first so
     * that the remaining segments stay contiguous even if this fails halfway. The current segment
     * is never deleted. Returns how many files were deleted.
     */
    public int deleteSegmentsBefore(long lsn) {
        if (closed) {
            throw closedError();
        }
        synchronized (segmentsLock) {
            int deleted = 0;
            Path file = null;
            try {
                while (!olderSegments.isEmpty()) {
                    long end = olderSegments.size() > 1 ? olderSegments.get(1) : currentSegmentBase;
                    if (end > lsn) {
                        break;
                    }
                    file = dir.resolve(WalFormat.segmentFileName(olderSegments.get(0)));
                    Files.deleteIfExists(file);
                    olderSegments.remove(0);
                    deleted++;
                }
                if (deleted > 0) {
                    file = dir;
                    WalFormat.syncDirectory(dir);
                }
            } catch (IOException e) {
                throw new DuetException(errorState(e), "cannot delete WAL segment " + file + ": " + e, e);
            }
            return deleted;
        }
    }

    /**
     * Flushes everything appended, stops the ASYNC thread and closes the segment file. Idempotent.
     * Throws if the writer had failed, since appended records were then lost.
     */
    @Override
    public void close() {
        synchronized (appendLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stopFlusher();
        DuetException error = null;
        try {
            if (failure == null) {
                flushTo(endLsn);
            }
        } catch (DuetException e) {
            error = e;
        }
        // Once closed, endLsn is frozen and durable (or the writer failed), so no leader will
        // touch the channel again; taking leadership only waits out one still writing.
        becomeLeader();
        try {
            channel.close();
        } catch (IOException e) {
            if (error == null) {
                error = new DuetException(errorState(e), "cannot close WAL segment " + segmentPath + ": " + e, e);
            }
        } finally {
            endLeadership(-1, false);
        }
        DuetException failed = failure;
        if (error == null && failed != null) {
            error = failedError(failed);
        }
        if (error != null) {
            throw error;
        }
    }

    private void checkUsable() {
        DuetException failed = failure;
        if (failed != null) {
            throw failedError(failed);
        }
        if (closed) {
            throw closedError();
        }
    }

    private DuetException closedError() {
        return DuetException.of(SqlState.CONNECTION_DOES_NOT_EXIST, "WAL in %s is closed", dir);
    }

    private static DuetException failedError(DuetException failed) {
        // A fresh exception per call, so each caller gets its own stack trace; the cause is the original.
        return new DuetException(failed.state(), "WAL is unusable after an earlier I/O failure: " + failed.getMessage(), failed);
    }

    /** Writes and forces at least everything before {@code target}. */
    private void flushTo(long target) {
        synchronized (flushLock) {
            boolean interrupted = false;
            try {
                while (true) {
                    DuetException failed = failure;
                    if (failed != null) {
                        throw failedError(failed);
                    }
                    if (durableLsn >= target) {
                        // An earlier leader's batch held our records: group commit.
                        return;
                    }
                    if (!flushing) {
                        flushing = true;
                        break;
                    }
                    try {
                        flushLock.wait();
                    } catch (InterruptedException e) {
                        // A commit cannot stop waiting halfway; the caller sees the interrupt after.
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        long batchEnd = -1;
        boolean success = false;
        try {
            batchEnd = writePending();
            success = true;
        } finally {
            endLeadership(batchEnd, success);
        }
    }

    /** Waits until no leader is writing and takes its place, whatever durableLsn says. */
    private void becomeLeader() {
        synchronized (flushLock) {
            boolean interrupted = false;
            while (flushing) {
                try {
                    flushLock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            flushing = true;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void endLeadership(long batchEnd, boolean success) {
        synchronized (flushLock) {
            if (success) {
                durableLsn = batchEnd;
            }
            flushing = false;
            // Everyone: the covered followers return, the others elect the next leader.
            flushLock.notifyAll();
        }
    }

    /**
     * Leader only, with no lock held but for the swap: writes and forces everything pending and
     * returns the LSN up to which the log is now durable.
     */
    private long writePending() {
        ByteBuffer batch;
        long batchEnd;
        synchronized (appendLock) {
            batch = pending;
            pending = spare;
            batchEnd = endLsn;
        }
        spare = null;
        int length = batch.position();
        try {
            if (segmentBase + segmentLength != batchEnd - length) {
                throw new IllegalStateException("WAL batch [" + (batchEnd - length) + ", " + batchEnd
                        + ") does not continue the written log at " + (segmentBase + segmentLength));
            }
            writeBatch(batch, length);
            forceSegment();
        } catch (IOException e) {
            DuetException error = new DuetException(errorState(e), "WAL write to " + ioPath + " failed: " + e, e);
            fail(error);
            throw error;
        } catch (RuntimeException | Error e) {
            // The swapped-out batch is gone: going on would leave a hole in the log.
            fail(new DuetException(SqlState.INTERNAL_ERROR, "WAL write to " + ioPath + " failed: " + e, e));
            throw e;
        } finally {
            batch.clear();
            spare = batch;
        }
        return batchEnd;
    }

    private void fail(DuetException error) {
        synchronized (flushLock) {
            failure = error;
        }
    }

    /** Writes {@code batch[0, length)}, rolling to new segments at record boundaries. Leader only. */
    private void writeBatch(ByteBuffer batch, int length) throws IOException {
        int pos = 0;
        while (pos < length) {
            long room = options.segmentSize() - segmentLength;
            int chunkEnd = pos;
            while (chunkEnd < length) {
                int recordSize = WalFormat.HEADER_SIZE + batch.getInt(chunkEnd);
                long chunk = chunkEnd - pos;
                // An empty segment takes any record, so an oversized record still gets written.
                if (chunk + recordSize > room && segmentLength + chunk > 0) {
                    break;
                }
                chunkEnd += recordSize;
            }
            if (chunkEnd > pos) {
                writeFully(batch, pos, chunkEnd);
                pos = chunkEnd;
            }
            if (pos < length) {
                roll();
            }
        }
    }

    /**
     * Positional writes make a retry after an interrupt harmless: the interrupted thread was a
     * committer or a cancelled query, and the log must survive it (FileChannel closes itself on
     * interrupt).
     */
    private void writeFully(ByteBuffer batch, int from, int to) throws IOException {
        ioPath = segmentPath;
        long filePos = segmentLength;
        boolean interrupted = false;
        try {
            batch.limit(to).position(from);
            while (batch.hasRemaining()) {
                try {
                    channel.write(batch, filePos + (batch.position() - from));
                } catch (ClosedByInterruptException e) {
                    interrupted = true;
                    Thread.interrupted();
                    reopenSegment();
                }
            }
        } finally {
            // writeBatch reads record lengths past this chunk with absolute gets, bounded by the limit.
            batch.limit(batch.capacity());
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        segmentLength += to - from;
        segmentDirty = true;
    }

    private void forceSegment() throws IOException {
        if (!segmentDirty) {
            return;
        }
        ioPath = segmentPath;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    channel.force(false);
                    break;
                } catch (ClosedByInterruptException e) {
                    interrupted = true;
                    Thread.interrupted();
                    reopenSegment();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        segmentDirty = false;
        syncCount++;
    }

    private void reopenSegment() throws IOException {
        channel = FileChannel.open(segmentPath, StandardOpenOption.WRITE);
    }

    /**
     * Starts a new segment at the current end. The old one is forced first: a segment that is not
     * the last is complete on disk, which is what lets the reader call any damage in it corruption.
     */
    private void roll() throws IOException {
        forceSegment();
        long newBase = segmentBase + segmentLength;
        Path newPath = dir.resolve(WalFormat.segmentFileName(newBase));
        ioPath = newPath;
        FileChannel newChannel = FileChannel.open(newPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            WalFormat.syncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            closeQuietly(newChannel, e);
            throw e;
        }
        FileChannel oldChannel = channel;
        Path oldPath = segmentPath;
        synchronized (segmentsLock) {
            olderSegments.add(segmentBase);
            currentSegmentBase = newBase;
        }
        channel = newChannel;
        segmentPath = newPath;
        segmentBase = newBase;
        segmentLength = 0;
        ioPath = oldPath;
        oldChannel.close();
    }

    /** appendLock held. */
    private ByteBuffer grow(int recordSize) {
        long needed = (long) pending.position() + recordSize;
        long capacity = Math.max(needed, Math.min(2L * pending.capacity(), Integer.MAX_VALUE - 64));
        if (capacity > Integer.MAX_VALUE - 64) {
            throw new IllegalStateException("WAL append buffer cannot hold " + needed + " bytes");
        }
        ByteBuffer bigger = newBuffer((int) capacity);
        pending.flip();
        bigger.put(pending);
        pending = bigger;
        return bigger;
    }

    /** Direct, so that channel writes need no temporary copy (the JDK caches one per thread otherwise). */
    private static ByteBuffer newBuffer(int capacity) {
        return ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void runFlusher() {
        long intervalNanos = options.asyncFlushIntervalMillis() * 1_000_000L;
        while (!stopFlusher) {
            LockSupport.parkNanos(this, intervalNanos);
            if (stopFlusher) {
                break;
            }
            if (endLsn > durableLsn && failure == null) {
                try {
                    flushTo(endLsn);
                } catch (DuetException e) {
                    // The failure is recorded; the next append or awaitDurable reports it.
                    LOG.log(System.Logger.Level.ERROR, "WAL background flush failed; the log is now read-only", e);
                    return;
                }
            }
        }
    }

    private void stopFlusher() {
        if (flusher == null) {
            return;
        }
        stopFlusher = true;
        LockSupport.unpark(flusher);
        boolean interrupted = false;
        while (true) {
            try {
                flusher.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static SqlState errorState(IOException e) {
        String message = e.getMessage();
        return message != null && message.contains("No space left") ? SqlState.DISK_FULL : SqlState.IO_ERROR;
    }

    private static void closeQuietly(FileChannel channel, Throwable failure) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
