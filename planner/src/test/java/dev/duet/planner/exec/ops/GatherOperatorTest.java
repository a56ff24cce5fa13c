package dev.duet.planner.exec.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GatherOperator} over copies of a counting pipeline on a real thread pool: every row of
 * every copy arrives once; stopping early, a failing copy and cancellation stop the workers, the
 * first failure's SQLSTATE reaches the consumer, and the query's allocator (with the workers'
 * children under it) ends at zero bytes (checked after each test by {@link OperatorTestBase}).
 */
class GatherOperatorTest extends OperatorTestBase {
    private static final int ROWS = 100;
    private static final List<BatchColumn> COLUMNS = List.of(new BatchColumn("n", DataType.BIGINT, false));

    private ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "gather-test-worker");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "workers ended");
    }

    /**
     * Copy {@code copy}'s pipeline: {@code batches} batches (-1: without end) of {@value #ROWS}
     * numbers {@code copy * 1_000_000 + i}, failing with 22012 at batch {@code failAt} (-1: never).
     */
    private static final class Counter implements Operator {
        private final QueryContext context;
        private final int copy;
        private final int batches;
        private final int failAt;
        private int made;
        private VectorSchemaRoot batch;

        Counter(QueryContext context, int copy, int batches, int failAt) {
            this.context = context;
            this.copy = copy;
            this.batches = batches;
            this.failAt = failAt;
        }

        @Override
        public List<BatchColumn> columns() {
            return COLUMNS;
        }

        @Override
        public VectorSchemaRoot next() {
            context.checkCancelled();
            if (batches >= 0 && made >= batches) {
                return null;
            }
            if (made == failAt) {
                throw DuetException.of(SqlState.DIVISION_BY_ZERO, "division by zero");
            }
            if (batch == null) {
                batch = Batches.create(context.allocator(), COLUMNS);
            }
            Batches.allocate(batch, ROWS); // the gather may have taken the vectors of the last batch
            BigIntVector v = (BigIntVector) batch.getVector(0);
            for (int i = 0; i < ROWS; i++) {
                v.set(i, copy * 1_000_000L + (long) made * ROWS + i);
            }
            batch.setRowCount(ROWS);
            made++;
            return batch;
        }

        @Override
        public void close() {
            if (batch != null) {
                batch.close();
                batch = null;
            }
        }
    }

    private GatherOperator gather(int copies, int batches, int failingCopy, int failAt) {
        List<QueryContext> workers = new ArrayList<>();
        List<Operator> ops = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            QueryContext w = context.newWorker("test-worker-" + i);
            workers.add(w);
            ops.add(new Counter(w, i, batches, i == failingCopy ? failAt : -1));
        }
        return new GatherOperator(context, pool, workers, ops, null);
    }

    @Test
    void everyRowOfEveryCopyArrivesOnce() {
        int copies = 3;
        int batches = 40;
        BitSet seen = new BitSet();
        long rows = 0;
        try (GatherOperator g = gather(copies, batches, -1, -1)) {
            for (VectorSchemaRoot b = g.next(); b != null; b = g.next()) {
                BigIntVector v = (BigIntVector) b.getVector(0);
                for (int i = 0; i < b.getRowCount(); i++) {
                    long n = v.get(i);
                    int bit = (int) (n / 1_000_000 * batches * ROWS + n % 1_000_000);
                    assertTrue(!seen.get(bit), "row " + n + " arrived twice");
                    seen.set(bit);
                    rows++;
                }
            }
            assertNull(g.next(), "the end stays the end");
        }
        assertEquals((long) copies * batches * ROWS, rows);
        assertEquals(copies * batches * ROWS, seen.cardinality());
    }

    @Test
    void stoppingEarlyLeavesNothingAllocated() {
        try (GatherOperator g = gather(3, -1, -1, -1)) {
            for (int i = 0; i < 5; i++) {
                assertEquals(ROWS, g.next().getRowCount());
            }
        }
    }

    @Test
    void closingBeforeTheFirstBatchClosesEveryCopy() {
        gather(3, -1, -1, -1).close();
    }

    @Test
    void aFailingCopyFailsTheQueryWithItsState() {
        try (GatherOperator g = gather(3, -1, 2, 3)) {
            DuetException e = assertFails(SqlState.DIVISION_BY_ZERO, () -> {
                while (g.next() != null) {
                    // the other copies never end: only the failure ends this loop
                }
            });
            assertEquals("division by zero", e.getMessage());
        }
    }

    @Test
    void cancellingTheQueryStopsEveryCopy() {
        try (GatherOperator g = gather(3, -1, -1, -1)) {
            g.next();
            context.cancel();
            assertFails(SqlState.QUERY_CANCELED, () -> {
                while (g.next() != null) {
                    // workers stop at their next batch; batches already queued may still arrive
                }
            });
        }
    }

    @Test
    void aBusyPoolDoesNotStallTheQuery() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 2; i++) { // both pool threads taken by something else
            pool.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        long rows = 0;
        try (GatherOperator g = gather(3, 20, -1, -1)) {
            for (VectorSchemaRoot b = g.next(); b != null; b = g.next()) {
                rows += b.getRowCount();
            }
        } finally {
            release.countDown();
        }
        assertEquals(3L * 20 * ROWS, rows, "the query's thread ran every copy itself");
    }
}
