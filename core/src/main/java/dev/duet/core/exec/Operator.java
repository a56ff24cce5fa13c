package dev.duet.core.exec;

import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The running side of a physical operator: a pull-based source of Arrow batches. A plan node
 * (immutable, describable) creates one per execution; the operator holds the running state and
 * the memory, allocated from the query's {@link QueryContext#allocator()}.
 *
 * <p>Ownership and lifetime rules:
 * <ul>
 *   <li>{@link #next()} returns a batch the operator owns, or null at the end. The batch is valid
 *       until the next call to {@code next()} or {@code close()}, whichever comes first; the
 *       operator typically refills the very same {@link VectorSchemaRoot}. The consumer reads it
 *       and must not close, clear, resize or keep it. To keep rows, copy them, or transfer the
 *       vectors ({@code getTransferPair(...).transfer()}) to vectors of its own.</li>
 *   <li>A returned batch has at least one row and exactly the columns of {@link #columns()}, in
 *       order. Its vectors' value counts equal {@link VectorSchemaRoot#getRowCount()}.</li>
 *   <li>After {@code next()} returned null it keeps returning null; an operator may free its
 *       buffers as soon as it reaches the end.</li>
 *   <li>{@code next()} throws {@link dev.duet.core.DuetException} for query errors (57014 when
 *       cancelled, 53200 when out of memory, data errors); the consumer must still call
 *       {@link #close()} afterwards.</li>
 *   <li>{@link #close()} frees everything the operator holds, closes its inputs, and may be called
 *       at any time, more than once, and after a failure. Using the operator afterwards fails
 *       with {@link IllegalStateException}.</li>
 *   <li>An operator is used by one thread at a time; only {@link QueryContext#cancel()} crosses
 *       threads.</li>
 * </ul>
 */
public interface Operator extends AutoCloseable {
    /** Rows per batch unless the query sets another size ({@link QueryContext#setBatchSize}). */
    int DEFAULT_BATCH_SIZE = 4096;
    /** Largest batch size an operator accepts. */
    int MAX_BATCH_SIZE = 1 << 20;

    /** The columns of every batch this operator returns, in order. */
    List<BatchColumn> columns();

    /** The Arrow schema of the batches, derived from {@link #columns()}. */
    default Schema schema() {
        return Batches.schema(columns());
    }

    /**
     * The next batch (at least one row), or null when there are no more. See the interface
     * javadoc for who owns it and for how long it stays valid.
     */
    VectorSchemaRoot next();

    /**
     * Reports counters beyond rows and time for {@code EXPLAIN ANALYZE}: the hook where a scan
     * tells how many segments or row groups it skipped, how many rows it read before filtering,
     * and so on. Called at most once per operator, when a profiled query closes it (after its
     * last {@code next()}, before {@code close()}); never called when the query is not profiled.
     * Keep the counts in plain {@code long} fields as the operator runs (no allocation per batch)
     * and hand them over here. The default reports nothing.
     */
    default void reportDetails(OperatorDetails details) {
    }

    /** Frees the operator's memory and closes its inputs. Idempotent; never throws for a query error. */
    @Override
    void close();
}
