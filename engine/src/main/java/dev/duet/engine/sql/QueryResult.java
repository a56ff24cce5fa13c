package dev.duet.engine.sql;

import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.planner.OutputColumn;
import dev.duet.rowstore.Transaction;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The rows of a query, pulled from its operator tree batch by batch as the consumer asks. A query
 * that reads the session's explicit transaction may have to read ahead: before the session runs a
 * statement that writes to (or ends) that transaction, the remaining rows are moved into {@link
 * #readAhead} and the operator is closed (a later write must not change what an open result
 * returns, and the row store's scans must not run across writes). Its batches' buffers are
 * therefore transferred (not copied) from the operator into this result's own batch, which stays
 * valid across a read-ahead. A query with its own auto-commit transaction is never read ahead, so
 * it hands the operator's batches to the consumer as they are (no transfer: for a point lookup
 * that is a fifth of the statement).
 *
 * <p>All memory (operator state, batches, read-ahead rows) is in the query's
 * {@link QueryContext}, closed with the result; its allocator must then be at zero.
 */
final class QueryResult implements Result {
    private final Session session;
    private final List<OutputColumn> columns;
    private final QueryContext context;
    /** Null once the operator reached its end, failed, or was read ahead. */
    private Operator operator;
    /** The auto-commit read-only transaction the query reads, ended with the operator; null otherwise. */
    private Transaction ownTransaction;
    /** True if the query reads the session's explicit transaction. */
    private final boolean readsSessionTransaction;
    /** The batch handed to the consumer; created on the first batch. */
    private VectorSchemaRoot out;
    /** True while the consumer holds a batch that belongs to the operator (direct hand-over). */
    private boolean holdsOperatorBatch;
    /** Batches read ahead of the consumer, oldest first. */
    private final ArrayDeque<VectorSchemaRoot> readAhead = new ArrayDeque<>();
    private long rows;
    private boolean closed;
    /** {@link System#nanoTime()} at which the statement began, -1 if its time is not (or no longer) to be recorded. */
    private long started = -1;

    /**
     * @param ownTransaction the read-only transaction to end with the query, or null if the query
     *     reads the session's transaction
     */
    QueryResult(Session session, List<OutputColumn> columns, QueryContext context, Operator operator,
            Transaction ownTransaction) {
        this.session = session;
        this.columns = List.copyOf(columns);
        this.context = Objects.requireNonNull(context, "context is null");
        this.operator = Objects.requireNonNull(operator, "operator is null");
        this.ownTransaction = ownTransaction;
        this.readsSessionTransaction = ownTransaction == null;
    }

    /** A result of rows computed up front (SHOW, EXPLAIN); {@code batch} is in {@code context}'s allocator. */
    QueryResult(Session session, List<OutputColumn> columns, QueryContext context, VectorSchemaRoot batch) {
        this.session = session;
        this.columns = List.copyOf(columns);
        this.context = context;
        this.readsSessionTransaction = false;
        if (batch.getRowCount() > 0) {
            readAhead.add(batch);
        } else {
            batch.close();
        }
    }

    @Override
    public boolean returnsRows() {
        return true;
    }

    @Override
    public List<OutputColumn> columns() {
        return columns;
    }

    QueryContext context() {
        return context;
    }

    boolean readsSessionTransaction() {
        return readsSessionTransaction;
    }

    /** Makes the statement's time (started at {@code startNanos}) end when the operator ends. */
    void timeFrom(long startNanos) {
        started = startNanos;
    }

    /** True while rows still come from the operator. */
    boolean streaming() {
        return operator != null;
    }

    @Override
    public VectorSchemaRoot nextBatch() {
        if (closed) {
            throw new IllegalStateException("result is closed");
        }
        if (out != null) {
            out.clear(); // the previous batch is no longer needed: free it now
        }
        holdsOperatorBatch = false;
        VectorSchemaRoot ahead = readAhead.poll();
        if (ahead != null) {
            try {
                return handOver(ahead);
            } finally {
                ahead.close();
            }
        }
        if (operator == null) {
            return null;
        }
        VectorSchemaRoot batch;
        try {
            batch = context.allocating(operator::next);
        } catch (RuntimeException e) {
            endOperator();
            session.resultFailed(this, e);
            throw e;
        }
        if (batch == null) {
            endOperator();
            session.resultEnded(this);
            return null;
        }
        if (!readsSessionTransaction) {
            holdsOperatorBatch = true;
            rows += batch.getRowCount();
            return batch;
        }
        return handOver(batch);
    }

    /** Moves {@code batch}'s buffers into the consumer's batch. */
    private VectorSchemaRoot handOver(VectorSchemaRoot batch) {
        if (out == null) {
            out = ownBatch(batch);
        }
        transfer(batch, out);
        rows += out.getRowCount();
        return out;
    }

    /** An empty batch with the operator's vector types (the client's names are in {@link #columns()}). */
    private VectorSchemaRoot ownBatch(VectorSchemaRoot like) {
        return VectorSchemaRoot.create(like.getSchema(), context.allocator());
    }

    private static void transfer(VectorSchemaRoot from, VectorSchemaRoot to) {
        List<FieldVector> src = from.getFieldVectors();
        List<FieldVector> dst = to.getFieldVectors();
        for (int c = 0; c < src.size(); c++) {
            src.get(c).makeTransferPair(dst.get(c)).transfer();
        }
        to.setRowCount(from.getRowCount());
    }

    /**
     * Pulls every remaining row from the operator into {@link #readAhead} and closes the
     * operator: the session is about to run a statement that may change what the operator reads.
     * A failure is the query's failure and is reported now.
     */
    void readRemaining() {
        if (operator == null) {
            return;
        }
        if (holdsOperatorBatch) {
            // only results read before their consumer starts (a script's) reach here
            throw new IllegalStateException("cannot read ahead of a batch handed over directly");
        }
        try {
            for (VectorSchemaRoot batch; (batch = context.allocating(operator::next)) != null; ) {
                VectorSchemaRoot copy = ownBatch(batch);
                transfer(batch, copy);
                readAhead.add(copy);
            }
        } catch (RuntimeException e) {
            endOperator();
            session.resultFailed(this, e);
            throw e;
        }
        endOperator();
        session.resultEnded(this);
    }

    private void endOperator() {
        if (started >= 0) {
            session.statementEnded(started);
            started = -1;
        }
        Operator op = operator;
        operator = null;
        if (op != null) {
            op.close();
        }
        Transaction tx = ownTransaction;
        ownTransaction = null;
        if (tx != null) {
            tx.close();
        }
    }

    @Override
    public long updateCount() {
        return -1;
    }

    @Override
    public String commandTag() {
        return "SELECT " + rows;
    }

    /** Rows handed to the consumer so far. */
    long rowCount() {
        return rows;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean wasStreaming = operator != null;
        try {
            endOperator();
            for (VectorSchemaRoot b; (b = readAhead.poll()) != null; ) {
                b.close();
            }
            if (out != null) {
                out.close();
            }
        } finally {
            if (wasStreaming) {
                session.resultEnded(this);
            }
            session.resultClosed(this);
            context.close();
        }
    }
}
