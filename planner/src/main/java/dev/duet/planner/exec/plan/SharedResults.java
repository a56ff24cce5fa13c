package dev.duet.planner.exec.plan;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Closeables;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.rowstore.Transaction;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The results of one execution's {@link SharedNode}s, made by its {@link SharedScopeNode}: per
 * shared node, the operator of its input (created under the scope's context when the first
 * reader is created, run to its end by the first reader that asks for a batch) and the batches it
 * returned, taken over by transfer. Readers may run on different threads (a reader under a
 * parallel join's build side, another on the query's thread): each {@link Result} is guarded by
 * its own monitor, the map of results by this object's.
 */
final class SharedResults implements AutoCloseable {
    private final QueryContext context;
    /** Guarded by {@code this}. */
    private final Map<SharedNode, Result> results = new IdentityHashMap<>();
    /** Guarded by {@code this}. */
    private boolean closed;

    SharedResults(QueryContext context) {
        this.context = context;
    }

    /** A new reader of {@code node}'s result, creating the input's operator if it is the first. */
    Operator reader(SharedNode node, Transaction transaction) {
        Result result;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the plan's shared results are closed");
            }
            result = results.get(node);
            if (result == null) {
                result = new Result(node, PlanNode.instantiate(node.inputs().get(0), context, transaction));
                results.put(node, result);
            }
        }
        return new Reader(result, node.columns());
    }

    /** Frees every result still kept (the scope's operator is closing, after all readers). */
    @Override
    public void close() {
        List<Result> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(results.values());
            results.clear();
        }
        List<AutoCloseable> frees = new ArrayList<>(all.size());
        for (Result r : all) {
            frees.add(r::free);
        }
        Closeables.closeAll(frees);
    }

    /** One shared node's result in one execution. */
    private final class Result {
        private final SharedNode node;
        /** Guarded by {@code this}; null once run to its end (or freed). */
        private Operator source;
        /** Guarded by {@code this} while filled; read without it once {@link #done}. */
        private final List<VectorSchemaRoot> batches = new ArrayList<>();
        /** Guarded by {@code this}. */
        private boolean done;
        /** Guarded by {@code this}. */
        private boolean freed;
        /** Readers closed so far; guarded by {@code this}. */
        private int closedReaders;

        Result(SharedNode node, Operator source) {
            this.node = node;
            this.source = source;
        }

        /** The kept batches, running the input to its end first if no reader did yet. */
        synchronized List<VectorSchemaRoot> batches() {
            if (freed) {
                throw new IllegalStateException("shared result " + node.describe() + " was freed");
            }
            if (!done) {
                for (VectorSchemaRoot b = source.next(); b != null; b = source.next()) {
                    VectorSchemaRoot kept = Batches.create(context.allocator(), node.columns());
                    batches.add(kept); // before the transfer: freed with the rest if it fails
                    List<FieldVector> from = b.getFieldVectors();
                    for (int c = 0; c < from.size(); c++) {
                        from.get(c).makeTransferPair(kept.getVector(c)).transfer();
                    }
                    kept.setRowCount(b.getRowCount());
                }
                done = true;
                Operator s = source;
                source = null;
                s.close();
            }
            return batches;
        }

        /** A reader closed: the last one frees the result. */
        void readerClosed() {
            boolean last;
            synchronized (this) {
                closedReaders++;
                last = closedReaders == node.readers();
            }
            if (last) {
                synchronized (SharedResults.this) {
                    results.remove(node);
                }
                free();
            }
        }

        synchronized void free() {
            if (freed) {
                return;
            }
            freed = true;
            try {
                if (source != null) {
                    source.close();
                    source = null;
                }
            } finally {
                batches.forEach(VectorSchemaRoot::close);
                batches.clear();
            }
        }
    }

    /**
     * One reader: hands out each kept batch as slices (the buffers' reference counts go up, no
     * copy) in vectors of its own, which its consumer may take over as the Operator contract allows.
     */
    private final class Reader implements Operator {
        private final Result result;
        private final List<BatchColumn> columns;
        private VectorSchemaRoot out;
        private List<VectorSchemaRoot> batches;
        private int next;
        private boolean closed;

        Reader(Result result, List<BatchColumn> columns) {
            this.result = result;
            this.columns = columns;
        }

        @Override
        public List<BatchColumn> columns() {
            return columns;
        }

        @Override
        public VectorSchemaRoot next() {
            if (closed) {
                throw new IllegalStateException("operator is closed");
            }
            context.checkCancelled();
            if (batches == null) {
                batches = result.batches();
            }
            if (next >= batches.size()) {
                return null;
            }
            VectorSchemaRoot from = batches.get(next++);
            if (out == null) {
                out = Batches.create(context.allocator(), columns);
            }
            int rows = from.getRowCount();
            List<FieldVector> vectors = from.getFieldVectors();
            for (int c = 0; c < vectors.size(); c++) {
                vectors.get(c).makeTransferPair(out.getVector(c)).splitAndTransfer(0, rows);
            }
            out.setRowCount(rows);
            return out;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (out != null) {
                    out.close();
                }
            } finally {
                result.readerClosed();
            }
        }
    }
}
