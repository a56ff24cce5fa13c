package dev.duet.columnstore;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A background thread of one {@link ColumnStore} that writes files for the sync thread: the seal
 * thread writes frozen segments to their Parquet files ({@link Seal}), a second instance rewrites
 * segments for compaction ({@link Compaction}), a third writes manifests
 * ({@code ColumnStore.ManifestWrite}: log force, delete vectors, manifest), so that the sync thread never waits for a file
 * (a seal takes as long as applying ~100K rows and used to show up as seconds of freshness lag;
 * compaction rewrites were a third of the sync thread's time in UPDATE-heavy runs).
 *
 * <p>Protocol: the sync thread prepares a {@link Job} (for a seal it freezes the segment: no more
 * appends, its rows stay readable by scans, the job holds its own reference to them),
 * {@link #submit submits} it and goes on applying commits. The thread runs jobs one at a time in
 * submission order, marks each done and calls the listener, which wakes the sync thread; the sync
 * thread alone takes done jobs back, in submission order ({@link #pollDone}), and installs them
 * (switches the segment to its file under the table lock, then writes the manifest). Taking jobs
 * back strictly in order means a table's segments become files oldest first, which the manifest's
 * per-table replay position relies on. A job's {@link Job#write} never touches a table's mutable
 * state, a segment's list or the manifest: it only reads what the job holds and writes its file.
 */
final class Sealer implements AutoCloseable {
    /**
     * One file to write. Its inputs are set by the sync thread before submission; its results are
     * set by {@link Job#write} on the background thread and read by the sync thread only after
     * {@link #pollDone} or {@link #awaitOldest} handed it back (the sealer's lock orders the two).
     */
    abstract static class Job {
        /** Sealer lock: the failure, once {@link #done}. */
        private Throwable error;
        private boolean done;

        /** Writes the file (and forces it), then releases what the job holds, also on failure. Background thread. */
        abstract void write();

        /** Drops what the job holds when it will never run (the sealer closed first). */
        abstract void abandon();

        /** Why writing failed, or null; only after the job was handed back. */
        Throwable error() {
            return error;
        }
    }

    /** One frozen segment on its way to its file. */
    static final class Seal extends Job {
        final ColumnTable table;
        final Segment segment;
        /** The seal thread's reference (retained by the submitter, released by {@link #write} or {@link #abandon}). */
        final OpenRows rows;
        /** The frozen rows' vector bytes when submitted (the submitter's in-flight budget). */
        final long bytes;
        final Path file;
        final int rowGroupRows;
        private Segment.SealedFile sealed;

        Seal(ColumnTable table, Segment segment, OpenRows rows, long bytes, Path file, int rowGroupRows) {
            this.table = table;
            this.segment = segment;
            this.rows = rows;
            this.bytes = bytes;
            this.file = file;
            this.rowGroupRows = rowGroupRows;
        }

        @Override
        void write() {
            try {
                // the rows are frozen: no append or publish touches their vectors any more, so
                // reading them here without the table lock is safe (scans only read them too)
                long bytes = SegmentFile.write(file, OpenRows.storedColumns(table.def), rows.root(), rows.count(), rowGroupRows);
                sealed = new Segment.SealedFile(file, rows.count(), rows.minTs(), rows.maxTs(), bytes);
            } finally {
                rows.release();
            }
        }

        @Override
        void abandon() {
            rows.release();
        }

        /** The file written; only after the job was handed back. */
        Segment.SealedFile sealed() {
            return sealed;
        }
    }

    /** Called on the background thread before each file is written: a test hook that holds or fails jobs. */
    interface BeforeWrite {
        void beforeWrite(Job job);
    }

    private final String threadName;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a job is submitted or the sealer closes (the seal thread waits on it). */
    private final Condition submitted = lock.newCondition();
    /** Signalled when a job is done (the sync thread waits on it for backpressure and persist). */
    private final Condition finished = lock.newCondition();
    /** lock: every job submitted and not yet handed back, oldest first (done ones at the head). */
    private final ArrayDeque<Job> jobs = new ArrayDeque<>();
    /** lock: the jobs the seal thread has not started, oldest first. */
    private final ArrayDeque<Job> waiting = new ArrayDeque<>();
    /** lock: the job being written, or null. */
    private Job running;
    /** lock: set by {@link #close}; the seal thread exits. */
    private boolean closing;
    /** lock: started with the first job. */
    private Thread thread;
    /** Called on the background thread after each job is done; set once by the store's owner. */
    private volatile Runnable listener = () -> { };
    private volatile BeforeWrite beforeWrite = job -> { };

    Sealer(String threadName) {
        this.threadName = threadName;
    }

    void listener(Runnable value) {
        listener = value;
    }

    void beforeWrite(BeforeWrite value) {
        beforeWrite = value;
    }

    /** Queues {@code job}; the sealer now owns what it holds. Sync thread. */
    void submit(Job job) {
        lock.lock();
        try {
            if (closing) {
                throw new IllegalStateException("the seal thread is closed");
            }
            jobs.addLast(job);
            waiting.addLast(job);
            if (thread == null) {
                thread = new Thread(this::run, threadName);
                thread.setDaemon(true);
                thread.start();
            }
            submitted.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Jobs submitted and not handed back yet. */
    int inFlight() {
        lock.lock();
        try {
            return jobs.size();
        } finally {
            lock.unlock();
        }
    }

    /** The oldest job if it is done (handed back: the caller installs it), else null. Sync thread. */
    Job pollDone() {
        lock.lock();
        try {
            Job head = jobs.peekFirst();
            return head != null && head.done ? jobs.pollFirst() : null;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the oldest job to be done and hands it back; null if there is none. Sync thread. */
    Job awaitOldest() {
        lock.lock();
        try {
            Job head;
            while ((head = jobs.peekFirst()) != null && !head.done) {
                finished.awaitUninterruptibly();
            }
            return jobs.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            Job job;
            lock.lock();
            try {
                while (waiting.isEmpty() && !closing) {
                    submitted.awaitUninterruptibly();
                }
                if (closing) {
                    return;
                }
                job = waiting.pollFirst();
                running = job;
            } finally {
                lock.unlock();
            }
            Throwable error = null;
            try {
                beforeWrite.beforeWrite(job);
            } catch (RuntimeException | Error e) {
                error = e;
                job.abandon(); // write() never runs, so it cannot release what the job holds
            }
            if (error == null) {
                try {
                    job.write(); // releases what the job holds, also when it fails
                } catch (RuntimeException | Error e) {
                    error = e;
                }
            }
            lock.lock();
            try {
                job.error = error;
                job.done = true;
                running = null;
                finished.signalAll();
            } finally {
                lock.unlock();
            }
            listener.run();
        }
    }

    /**
     * Waits for the file being written to be finished, drops the jobs not started (their files
     * are never written: the next open replays a seal's rows from the WAL, a compaction simply did
     * not happen) and stops the thread. After it, no thread reads any segment's rows for sealing.
     * Idempotent.
     */
    @Override
    public void close() {
        Thread t;
        lock.lock();
        try {
            closing = true;
            submitted.signalAll();
            for (Job job : waiting) {
                job.abandon();
                jobs.remove(job);
            }
            waiting.clear();
            while (running != null) {
                finished.awaitUninterruptibly();
            }
            t = thread;
        } finally {
            lock.unlock();
        }
        if (t != null) {
            boolean interrupted = false;
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
