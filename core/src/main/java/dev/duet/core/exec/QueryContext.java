package dev.duet.core.exec;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.arrow.memory.AllocationListener;
import org.apache.arrow.memory.AllocationOutcome;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;

/**
 * The running state one query shares across its operators: a child Arrow allocator with the
 * query's memory limit, the batch size, and cancellation. One per query execution; the thread
 * that runs the query creates and closes it, and any thread may {@link #cancel()} it.
 *
 * <p>Memory: every operator allocates from {@link #allocator()}. An allocation that would pass the
 * query's limit (or the limit of the database's allocator above it) fails at once with a
 * {@link DuetException} of {@link SqlState#OUT_OF_MEMORY} naming the limit, never with a JVM
 * {@code OutOfMemoryError}; the failed allocation holds nothing. Arrow's own
 * {@link OutOfMemoryException} can still escape from allocators not derived from this one or when
 * the JVM's direct memory runs out first: the consumer at the top of the operator tree wraps its
 * calls in {@link #allocating} (or uses {@link #outOfMemory}) to turn it into the same error.
 *
 * <p>Cancellation is cooperative: operators call {@link #checkCancelled()} at least once per
 * batch, which throws {@link SqlState#QUERY_CANCELED} after {@link #cancel()} or once the
 * {@linkplain #setTimeout timeout} has passed.
 *
 * <p>{@link #close()} comes last, after every operator is closed: it closes the allocator and
 * fails with {@link IllegalStateException} if any Arrow memory is still held (a leak).
 *
 * <p>The child allocator is made on the first call of {@link #allocator()}: making and closing
 * one costs more than a whole single-row prepared INSERT, which allocates no Arrow memory at all.
 *
 * <p>A parallel query gives each of its worker threads a context of its own ({@link #newWorker}):
 * its allocator is a child of the query's, so the query's memory limit covers every worker and a
 * leak in a worker is a leak of the query; it shares the query's cancellation and timeout (and can
 * be cancelled on its own, which is how a query stops its workers early), its parameters, batch
 * size, attachments (copied: a worker may attach its own) and profile.
 */
public final class QueryContext implements AutoCloseable {
    private static final AtomicLong QUERY_IDS = new AtomicLong();
    /**
     * {@code $1}, {@code $2}, ...: made once, because every bound value is coerced with its
     * parameter's name at hand for an error message that is almost never built, and making the
     * name per value was a tenth of what a prepared INSERT allocated.
     */
    private static final String[] PARAMETER_NAMES = new String[64];

    static {
        for (int i = 0; i < PARAMETER_NAMES.length; i++) {
            PARAMETER_NAMES[i] = "$" + (i + 1);
        }
    }

    private final BufferAllocator parent;
    /** For a worker's context, the query's context ({@link #newWorker}); null for a query's own. */
    private final QueryContext query;
    /** The allocator's name, or null for {@code query-<n>} (numbered when the allocator is made). */
    private final String name;
    /**
     * The query's allocator, null until {@link #allocator()} first asks for it. Operators of one
     * query may run on several threads: written once under {@code this}, read through the volatile.
     */
    private volatile BufferAllocator allocator;
    private final long memoryLimit;
    private int batchSize = Operator.DEFAULT_BATCH_SIZE;
    private volatile boolean cancelled;
    /** {@link System#nanoTime()} at which the statement times out; meaningful only if {@link #hasDeadline}. */
    private volatile long deadline;
    private volatile boolean hasDeadline;
    private boolean closed;
    /** Non-null only for EXPLAIN ANALYZE; set before operators are created, by the creating thread. */
    private QueryProfile profile;
    /** The statement's parameter values, canonical per {@link dev.duet.core.types.DataType}; set before operators run. */
    private Object[] parameters = new Object[0];
    /** Pairs (type, value) of {@link #attach}: a statement has one or two, so no map. */
    private Object[] attachments = new Object[0];

    /**
     * A context whose allocator is a child of {@code parent} (the database's root allocator),
     * limited to {@code memoryLimit} bytes.
     */
    public QueryContext(BufferAllocator parent, long memoryLimit) {
        this(parent, null, memoryLimit);
    }

    /**
     * As {@link #QueryContext(BufferAllocator, long)}, with a name for the allocator (shown in leak
     * reports); null names it {@code query-<n>}.
     */
    public QueryContext(BufferAllocator parent, String name, long memoryLimit) {
        this.parent = Objects.requireNonNull(parent, "parent is null");
        if (memoryLimit <= 0) {
            throw new IllegalArgumentException("memoryLimit must be positive, got " + memoryLimit);
        }
        this.name = name;
        this.memoryLimit = memoryLimit;
        this.query = null;
    }

    private QueryContext(QueryContext query, String name) {
        this.parent = query.parent;
        this.query = query;
        this.name = name;
        this.memoryLimit = query.memoryLimit;
        this.batchSize = query.batchSize;
        this.profile = query.profile;
        this.parameters = query.parameters;
        this.attachments = query.attachments.clone();
    }

    /**
     * A context for one worker thread of this query (see the class comment), whose allocator,
     * named {@code name}, is a child of this one's. Made by the query's thread after the query's
     * parameters, attachments and profile are set; closed (by the query's thread) after every
     * operator the worker ran is closed and every batch it handed over is freed, before this one.
     */
    public QueryContext newWorker(String name) {
        Objects.requireNonNull(name, "name is null");
        allocator();
        QueryContext worker = new QueryContext(this, name);
        worker.allocator(); // made now, on the query's thread, rather than by the worker's first allocation
        return worker;
    }

    /**
     * The query's allocator: everything the query's operators hold is allocated here. Made on the
     * first call; {@link IllegalStateException} if the context is closed before that.
     */
    public BufferAllocator allocator() {
        BufferAllocator a = allocator;
        return a != null ? a : createAllocator();
    }

    private synchronized BufferAllocator createAllocator() {
        if (allocator == null) {
            if (closed) {
                throw new IllegalStateException("the query context is closed");
            }
            allocator = query != null
                    ? query.allocator().newChildAllocator(name, new LimitListener(), 0, memoryLimit)
                    : parent.newChildAllocator(name != null ? name : "query-" + QUERY_IDS.incrementAndGet(),
                            new LimitListener(), 0, memoryLimit);
        }
        return allocator;
    }

    /** The most bytes the query's allocator may hold at once. */
    public long memoryLimit() {
        return memoryLimit;
    }

    /** Rows per batch that operators aim for ({@link Operator#DEFAULT_BATCH_SIZE} unless set). */
    public int batchSize() {
        return batchSize;
    }

    /** Sets the rows per batch for operators created after this call; 1 ≤ rows ≤ 1,048,576. */
    public void setBatchSize(int rows) {
        if (rows < 1 || rows > Operator.MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batch size must be between 1 and " + Operator.MAX_BATCH_SIZE + ", got " + rows);
        }
        this.batchSize = rows;
    }

    // ---------------------------------------------------------------- attachments

    /**
     * Attaches {@code value} as the statement's object of type {@code type}, replacing an earlier
     * one: how the layer that runs a statement hands operators what {@code core} cannot name
     * (the planner's scan routing, for one). Set before any operator is created, like the
     * parameters; read by the statement's operators.
     */
    public <T> void attach(Class<T> type, T value) {
        Objects.requireNonNull(type, "type is null");
        for (int i = 0; i < attachments.length; i += 2) {
            if (attachments[i] == type) {
                attachments[i + 1] = value;
                return;
            }
        }
        Object[] grown = Arrays.copyOf(attachments, attachments.length + 2);
        grown[attachments.length] = type;
        grown[attachments.length + 1] = value;
        attachments = grown;
    }

    /** The object attached as {@code type}, or null. */
    public <T> T attachment(Class<T> type) {
        for (int i = 0; i < attachments.length; i += 2) {
            if (attachments[i] == type) {
                return type.cast(attachments[i + 1]);
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- parameters

    /**
     * Binds the statement's parameters for this execution: {@code values[i]} is parameter
     * {@code i} (0-based: {@code ?} in order, {@code $n} is index n-1), already coerced to the
     * parameter's type in its canonical representation ({@link dev.duet.core.types.Values#coerce}).
     * Set before any operator is created.
     */
    public void setParameters(Object... values) {
        this.parameters = values.clone();
    }

    /** The name of parameter {@code index} (0-based) in messages: {@code $1} for index 0. */
    public static String parameterName(int index) {
        return index >= 0 && index < PARAMETER_NAMES.length ? PARAMETER_NAMES[index] : "$" + (index + 1);
    }

    /** The number of bound parameters. */
    public int parameterCount() {
        return parameters.length;
    }

    /** Parameter {@code index} (0-based); 07001 if it was not bound. */
    public Object parameter(int index) {
        if (index < 0 || index >= parameters.length) {
            throw DuetException.of(SqlState.WRONG_PARAMETER_COUNT,
                    "no value was bound for parameter $%d (%d bound)", index + 1, parameters.length);
        }
        return parameters[index];
    }

    // ---------------------------------------------------------------- profiling

    /**
     * Makes the query profiled ({@code EXPLAIN ANALYZE}): operators created from now on for plan
     * nodes are wrapped by {@link QueryProfile#instrument} and count rows, batches and time. Set
     * before any operator is created; null (the default) runs the query without any counting.
     */
    public void setProfile(QueryProfile profile) {
        this.profile = profile;
    }

    /** The profile operators count into, or null when the query is not profiled (the normal case). */
    public QueryProfile profile() {
        return profile;
    }

    // ---------------------------------------------------------------- cancellation

    /** Asks the query to stop; it fails with 57014 at its next {@link #checkCancelled()}. Any thread. */
    public void cancel() {
        cancelled = true;
    }

    /** True once {@link #cancel()} was called (a timeout does not count); for a worker, on it or its query. */
    public boolean isCancelled() {
        return cancelled || query != null && query.isCancelled();
    }

    /**
     * Makes the query time out {@code timeout} from now; zero removes the timeout (as PostgreSQL's
     * {@code statement_timeout = 0}). Any thread.
     */
    public void setTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout is null");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        if (timeout.isZero()) {
            hasDeadline = false;
            return;
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            hasDeadline = false; // longer than ~292 years: no timeout in practice
            return;
        }
        deadline = System.nanoTime() + nanos;
        hasDeadline = true;
    }

    /** Throws 57014 if the query was cancelled or its timeout has passed. Cheap: call it per batch. */
    public void checkCancelled() {
        if (cancelled) {
            throw new DuetException(SqlState.QUERY_CANCELED, "canceling statement due to user request");
        }
        if (hasDeadline && System.nanoTime() - deadline >= 0) {
            throw new DuetException(SqlState.QUERY_CANCELED, "canceling statement due to statement timeout");
        }
        if (query != null) {
            query.checkCancelled();
        }
    }

    // ---------------------------------------------------------------- memory

    /**
     * Runs {@code action}, turning an Arrow {@link OutOfMemoryException} into 53200. The top of an
     * operator tree wraps its {@code next()} calls in this.
     */
    public <T> T allocating(Supplier<T> action) {
        try {
            return action.get();
        } catch (OutOfMemoryException e) {
            throw outOfMemory(e);
        }
    }

    /** The 53200 error for an Arrow {@link OutOfMemoryException} raised while running this query. */
    public DuetException outOfMemory(OutOfMemoryException e) {
        return new DuetException(SqlState.OUT_OF_MEMORY, String.format(
                "out of memory: query memory limit of %d bytes, %d bytes in use (%s)",
                memoryLimit, allocatedBytes(), e.getMessage()), e);
    }

    /** Bytes the query's allocator holds now. */
    public long allocatedBytes() {
        BufferAllocator a = allocator;
        return a == null ? 0 : a.getAllocatedMemory();
    }

    /** Most bytes the query's allocator has held at once. */
    public long peakBytes() {
        BufferAllocator a = allocator;
        return a == null ? 0 : a.getPeakMemoryAllocation();
    }

    /**
     * Closes the allocator. Call it after every operator of the query is closed. Throws
     * {@link IllegalStateException} naming the leaked bytes if memory is still allocated; the
     * allocator is closed either way. Closing twice does nothing.
     */
    @Override
    public void close() {
        BufferAllocator allocator;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            allocator = this.allocator;
        }
        if (profile != null) {
            profile.recordPeak(allocator == null ? 0 : allocator.getPeakMemoryAllocation());
        }
        if (allocator == null) {
            return;
        }
        long leaked = allocator.getAllocatedMemory();
        if (leaked == 0) {
            allocator.close();
            return;
        }
        IllegalStateException leak = new IllegalStateException(String.format(
                "query allocator %s leaked %d bytes of Arrow memory: an operator or batch was not closed",
                allocator.getName(), leaked));
        try {
            allocator.close(); // detaches from the parent; reports the leak itself too
        } catch (IllegalStateException e) {
            leak.addSuppressed(e);
        }
        throw leak;
    }

    /**
     * Turns a failed allocation into 53200 right where it happens, so that operators need no
     * handling of their own. Arrow has already released the failed reservation when it calls this.
     */
    private final class LimitListener implements AllocationListener {
        @Override
        public boolean onFailedAllocation(long size, AllocationOutcome outcome) {
            if (query != null) {
                // a worker's limit is the query's: whichever allocator above it refused, the query is out of memory
                throw DuetException.of(SqlState.OUT_OF_MEMORY,
                        "out of memory: query memory limit of %d bytes exceeded (query holds %d bytes, needed %d more)",
                        memoryLimit, query.allocatedBytes(), size);
            }
            if (outcome.getStatus() == AllocationOutcome.Status.FAILED_PARENT) {
                BufferAllocator parent = allocator.getParentAllocator();
                throw DuetException.of(SqlState.OUT_OF_MEMORY,
                        "out of memory: database memory limit of %d bytes reached (query holds %d bytes, needed %d more)",
                        parent == null ? -1 : parent.getLimit(), allocator.getAllocatedMemory(), size);
            }
            throw DuetException.of(SqlState.OUT_OF_MEMORY,
                    "out of memory: query memory limit of %d bytes exceeded (query holds %d bytes, needed %d more)",
                    memoryLimit, allocator.getAllocatedMemory(), size);
        }
    }
}
