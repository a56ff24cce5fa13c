package dev.duet.planner.exec.ops;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Runs K copies of a pipeline (operators over one shared set of scan morsels) on K threads and
 * returns their batches as they come, in no particular order: the exchange of a parallel query.
 *
 * <p>Threads: the query's thread (the consumer calling {@link #next()}) runs copy 0 itself, and
 * the database's worker pool runs the others. A copy is claimed by whichever thread starts it
 * first (a compare-and-set on its state), and the consumer, whenever it has nothing to return,
 * claims any copy no worker has started yet: a busy or saturated pool (other queries, a result
 * nobody reads) slows a query down but never stalls it, because the consumer can run every copy
 * itself.
 *
 * <p>Memory: each copy runs under a worker context of its own ({@link QueryContext#newWorker},
 * a child allocator of the query's, so the query's limit covers all of them). A worker hands each
 * batch over by transferring its vectors into a batch of its own (no copy), through a bounded
 * queue of {@code 2K} batches: a worker that gets ahead of the consumer waits. The consumer frees
 * a handed-over batch at its next call. {@link #close()} stops the workers (cancels their
 * contexts), frees the batches still queued, waits until no worker runs, closes every copy's
 * operators, the shared morsels and then the worker contexts (whose allocators must then be
 * empty): nothing leaks when the consumer stops early (LIMIT) or fails.
 *
 * <p>Errors: the first failure of any copy (a {@link DuetException} with its SQLSTATE, a 53200,
 * a 57014 from the query's cancellation or timeout) stops the other copies and is thrown, as is,
 * by the consumer's next call. The consumer also checks the query's cancellation while it waits.
 */
public final class GatherOperator implements Operator {
    private static final int UNCLAIMED = 0;
    private static final int RUNNING = 1;
    private static final int FINISHED = 2;
    /** Wakes the consumer when a worker finishes (the queue otherwise holds only batches). */
    private static final Object DONE = new Object();

    private final QueryContext context;
    private final Executor executor;
    private final QueryContext[] workers;
    private final Operator[] copies;
    private final AutoCloseable shared;
    private final List<BatchColumn> columns;
    /** Per copy: UNCLAIMED, RUNNING (by a worker or the consumer) or FINISHED (its operators closed). */
    private final AtomicIntegerArray state;
    /** Handed-over batches and DONE markers; thread-safe. */
    private final ArrayBlockingQueue<Object> queue;
    /** The first failure of any copy; set once. */
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Set by a failure or by close(): workers stop at their next batch. */
    private volatile boolean stopped;

    // consumer thread only
    private boolean started;
    private boolean done;
    private boolean closed;
    /** The copy the consumer runs itself, or -1. */
    private int local = -1;
    /** A handed-over batch returned last, freed at the next call. */
    private VectorSchemaRoot current;
    private long workerBatches;
    private long localBatches;

    /**
     * @param workers the copies' contexts (each a {@link QueryContext#newWorker} of {@code context}),
     *                closed by this operator
     * @param copies  the copies' operator trees, created under {@code workers}, closed by this operator
     * @param shared  what the copies share (the morsels), closed after every copy
     */
    public GatherOperator(QueryContext context, Executor executor, List<QueryContext> workers, List<Operator> copies,
            AutoCloseable shared) {
        this.context = Objects.requireNonNull(context, "context is null");
        this.executor = Objects.requireNonNull(executor, "executor is null");
        this.workers = workers.toArray(new QueryContext[0]);
        this.copies = copies.toArray(new Operator[0]);
        if (this.workers.length != this.copies.length || this.copies.length == 0) {
            throw new IllegalArgumentException(this.workers.length + " contexts for " + this.copies.length + " copies");
        }
        this.shared = shared;
        this.columns = this.copies[0].columns();
        this.state = new AtomicIntegerArray(this.copies.length);
        this.queue = new ArrayBlockingQueue<>(2 * this.copies.length + 1);
    }

    @Override
    public List<BatchColumn> columns() {
        return columns;
    }

    /** For EXPLAIN ANALYZE: the copies run and how many batches the consumer ran itself. */
    @Override
    public void reportDetails(dev.duet.core.exec.OperatorDetails details) {
        details.add("threads", copies.length);
        details.add("batches from workers", workerBatches);
        details.add("batches run by the query thread", localBatches);
    }

    @Override
    public VectorSchemaRoot next() {
        if (closed) {
            throw new IllegalStateException("gather is closed");
        }
        freeCurrent();
        if (done) {
            return null;
        }
        if (!started) {
            start();
        }
        while (true) {
            throwIfFailed();
            Object item = queue.poll();
            if (item instanceof VectorSchemaRoot batch) {
                workerBatches++;
                current = batch;
                return batch;
            }
            if (item == DONE) {
                continue;
            }
            if (local < 0) {
                local = claimUnstarted();
            }
            if (local >= 0) {
                VectorSchemaRoot batch = runLocal();
                if (batch != null) {
                    localBatches++;
                    return batch;
                }
                continue;
            }
            if (allFinished()) {
                item = queue.poll();
                if (item == null) {
                    done = true;
                    return null;
                }
                if (item instanceof VectorSchemaRoot batch) {
                    workerBatches++;
                    current = batch;
                    return batch;
                }
                continue;
            }
            context.checkCancelled();
            try {
                item = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DuetException(SqlState.QUERY_CANCELED, "canceling statement: interrupted");
            }
            if (item instanceof VectorSchemaRoot batch) {
                workerBatches++;
                current = batch;
                return batch;
            }
        }
    }

    /** Claims copy 0 for the consumer and hands the others to the pool. */
    private void start() {
        started = true;
        if (state.compareAndSet(0, UNCLAIMED, RUNNING)) {
            local = 0;
        }
        for (int i = 1; i < copies.length; i++) {
            int copy = i;
            try {
                executor.execute(() -> runWorker(copy));
            } catch (RejectedExecutionException e) {
                // the pool is shutting down: the consumer runs the copy itself
            }
        }
    }

    /** A copy nobody has started, now claimed by the consumer; -1 if there is none. */
    private int claimUnstarted() {
        for (int i = 0; i < copies.length; i++) {
            if (state.get(i) == UNCLAIMED && state.compareAndSet(i, UNCLAIMED, RUNNING)) {
                return i;
            }
        }
        return -1;
    }

    /** The next batch of the consumer's own copy (valid until the next call); null when it ended. */
    private VectorSchemaRoot runLocal() {
        int i = local;
        Operator copy = copies[i];
        VectorSchemaRoot batch;
        try {
            batch = workers[i].allocating(copy::next);
        } catch (RuntimeException | Error e) {
            fail(e);
            throwIfFailed();
            throw e;
        }
        if (batch == null) {
            local = -1;
            finishCopy(i);
        }
        return batch;
    }

    /** A worker thread's loop over copy {@code i}, unless another thread claimed it first. */
    private void runWorker(int i) {
        if (!state.compareAndSet(i, UNCLAIMED, RUNNING)) {
            return;
        }
        QueryContext worker = workers[i];
        Operator copy = copies[i];
        try {
            while (!stopped) {
                VectorSchemaRoot batch = worker.allocating(copy::next);
                if (batch == null) {
                    break;
                }
                VectorSchemaRoot owned = takeOver(batch, worker);
                if (!hand(owned)) {
                    owned.close();
                    break;
                }
            }
        } catch (RuntimeException | Error e) {
            fail(e);
        } finally {
            finishCopy(i);
            queue.offer(DONE); // only a wake-up: if the queue is full, the consumer has batches to take anyway
        }
    }

    /** Closes copy {@code i}'s operators and marks it finished. */
    private void finishCopy(int i) {
        try {
            copies[i].close();
        } catch (RuntimeException | Error e) {
            fail(e);
        } finally {
            state.set(i, FINISHED);
        }
    }

    /** Puts a batch in the queue, waiting for room; false if the gather stopped meanwhile. */
    private boolean hand(VectorSchemaRoot batch) {
        try {
            while (!queue.offer(batch, 20, TimeUnit.MILLISECONDS)) {
                if (stopped) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            // the pool is shutting down
            Thread.currentThread().interrupt();
            fail(new DuetException(SqlState.QUERY_CANCELED, "canceling statement: worker interrupted"));
            return false;
        }
    }

    /** The batch's vectors moved into a batch of the worker's own (the copy refills its vectors). */
    private static VectorSchemaRoot takeOver(VectorSchemaRoot batch, QueryContext worker) {
        int rows = batch.getRowCount();
        FieldVector[] vectors = ArrowBuffers.take(batch, worker.allocator());
        VectorSchemaRoot owned = new VectorSchemaRoot(List.of(vectors));
        owned.setRowCount(rows);
        return owned;
    }

    /** Records the first failure and stops every copy (their contexts are cancelled). */
    private void fail(Throwable t) {
        if (failure.compareAndSet(null, t)) {
            stopped = true;
            for (QueryContext w : workers) {
                w.cancel();
            }
        }
    }

    private void throwIfFailed() {
        Throwable t = failure.get();
        if (t == null) {
            return;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    private boolean allFinished() {
        for (int i = 0; i < copies.length; i++) {
            if (state.get(i) != FINISHED) {
                return false;
            }
        }
        return true;
    }

    private void freeCurrent() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopped = true;
        for (QueryContext w : workers) {
            w.cancel();
        }
        freeCurrent();
        RuntimeException error = null;
        for (int i = 0; i < copies.length; i++) {
            if (i == local || state.compareAndSet(i, UNCLAIMED, RUNNING)) {
                finishCopy(i);
            }
        }
        local = -1;
        boolean interrupted = false;
        // wait for the workers still running: they stop at their next batch or queue offer
        while (!allFinished()) {
            try {
                Object item = queue.poll(10, TimeUnit.MILLISECONDS);
                if (item instanceof VectorSchemaRoot batch) {
                    batch.close();
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        for (Object item = queue.poll(); item != null; item = queue.poll()) {
            if (item instanceof VectorSchemaRoot batch) {
                batch.close();
            }
        }
        if (shared != null) {
            try {
                shared.close();
            } catch (Exception e) {
                error = e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
        }
        for (QueryContext w : workers) {
            try {
                w.close();
            } catch (RuntimeException e) {
                if (error == null) {
                    error = e;
                } else {
                    error.addSuppressed(e);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (error != null) {
            throw error;
        }
    }

    @Override
    public String toString() {
        return "Gather(" + copies.length + " copies)";
    }
}
