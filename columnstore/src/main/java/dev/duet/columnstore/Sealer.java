package dev.duet.columnstore;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The seal thread of one {@link ColumnStore}: writes frozen segments to their Parquet files, one
 * at a time in the order they were frozen, so that the sync thread never waits for a file (which
 * takes as long as applying ~100K rows and used to show up as seconds of freshness lag).
 *
 * <p>Protocol: the sync thread freezes a segment (no more appends; its rows stay readable by
 * scans), {@link #submit submits} a {@link Job} holding its own reference to the rows, and goes on
 * applying commits. The seal thread writes the file, drops its reference, marks the job done and
 * calls the listener, which wakes the sync thread; the sync thread alone takes done jobs back, in
 * submission order ({@link #pollDone}), and installs them (switches the segment to its file under
 * the table lock, then writes the manifest). Taking jobs back strictly in order means a table's
 * segments become files oldest first, which the manifest's per-table replay position relies on.
 * The seal thread never touches a table, a segment or the manifest.
 */
final class Sealer implements AutoCloseable {
    /** One frozen segment on its way to its file. Final fields are set by the sync thread before submission. */
    static final class Job {
        final ColumnTable table;
        final Segment segment;
        /** The seal thread's reference (retained by the submitter, released by the seal thread or {@link #close}). */
        final OpenRows rows;
        final Path file;
        final int rowGroupRows;
        /** Sealer lock: the result, or the failure, once {@link #done}. */
        private Segment.SealedFile sealed;
        private Throwable error;
        private boolean done;

        Job(ColumnTable table, Segment segment, OpenRows rows, Path file, int rowGroupRows) {
            this.table = table;
            this.segment = segment;
            this.rows = rows;
            this.file = file;
            this.rowGroupRows = rowGroupRows;
        }

        /** The file written; only after {@link #pollDone} handed the job back. */
        Segment.SealedFile sealed() {
            return sealed;
        }

        /** Why writing failed, or null; only after {@link #pollDone} handed the job back. */
        Throwable error() {
            return error;
        }
    }

    /** Called on the seal thread before each file is written: a test hook that holds or fails seals. */
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
    /** Called on the seal thread after each job is done; set once by the store's owner. */
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

    /** Queues {@code job}; the sealer now owns its rows reference. Sync thread. */
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
            Segment.SealedFile sealed = null;
            Throwable error = null;
            try {
                beforeWrite.beforeWrite(job);
                OpenRows rows = job.rows;
                // the rows are frozen: no append or publish touches their vectors any more, so
                // reading them here without the table lock is safe (scans only read them too)
                long bytes = SegmentFile.write(job.file, OpenRows.storedColumns(job.table.def), rows.root(), rows.count(),
                        job.rowGroupRows);
                sealed = new Segment.SealedFile(job.file, rows.count(), rows.minTs(), rows.maxTs(), bytes);
            } catch (RuntimeException | Error e) {
                error = e;
            } finally {
                job.rows.release();
            }
            lock.lock();
            try {
                job.sealed = sealed;
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
     * are never written: the next open replays their rows from the WAL) and stops the seal thread.
     * After it, no thread reads any segment's rows for sealing. Idempotent.
     */
    @Override
    public void close() {
        Thread t;
        lock.lock();
        try {
            closing = true;
            submitted.signalAll();
            for (Job job : waiting) {
                job.rows.release();
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
