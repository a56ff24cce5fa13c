package dev.duet.core.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link QueryProfile}: what a profiled operator counts, the details hook, the allocator's peak. */
class QueryProfileTest {
    private static final List<BatchColumn> COLUMNS = List.of(new BatchColumn("x", DataType.BIGINT, false));
    private final RootAllocator root = new RootAllocator();

    @AfterEach
    void close() {
        assertEquals(0, root.getAllocatedMemory());
        root.close();
    }

    /** Returns batches of the given sizes, then fails if {@code failAfter}; reports "batches made". */
    private static final class Source implements Operator {
        private final QueryContext context;
        private final int[] sizes;
        private final boolean failAfter;
        private VectorSchemaRoot batch;
        private int next;
        private long made;
        boolean closed;

        Source(QueryContext context, boolean failAfter, int... sizes) {
            this.context = context;
            this.sizes = sizes;
            this.failAfter = failAfter;
        }

        @Override
        public List<BatchColumn> columns() {
            return COLUMNS;
        }

        @Override
        public VectorSchemaRoot next() {
            if (next == sizes.length) {
                if (failAfter) {
                    throw DuetException.of(SqlState.DIVISION_BY_ZERO, "division by zero");
                }
                return null;
            }
            if (batch == null) {
                batch = Batches.create(context.allocator(), COLUMNS);
            }
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < sizes[next]; i++) {
                rows.add(new Object[] {(long) i});
            }
            next++;
            made++;
            batch.close();
            batch = Batches.fromRows(context.allocator(), COLUMNS, rows);
            return batch;
        }

        @Override
        public void reportDetails(OperatorDetails details) {
            details.add("batches made", made);
            details.add("constant", 7);
        }

        @Override
        public void close() {
            closed = true;
            if (batch != null) {
                batch.close();
                batch = null;
            }
        }
    }

    @Test
    void countsRowsBatchesAndDetailsPerNode() {
        QueryProfile profile = new QueryProfile();
        Object node = new Object();
        Object other = new Object();
        try (QueryContext context = new QueryContext(root, 1 << 20)) {
            context.setProfile(profile);
            for (int run = 0; run < 2; run++) { // two operators for one node add up
                Source source = new Source(context, false, 3, 5);
                try (Operator op = profile.instrument(node, source)) {
                    assertEquals(COLUMNS, op.columns());
                    while (op.next() != null) {
                        context.checkCancelled();
                    }
                }
                assertTrue(source.closed);
            }
            assertEquals(-1, profile.peakBytes());
        }
        OperatorProfile p = profile.of(node);
        assertEquals(2, p.instances());
        assertEquals(2 * (3 + 5), p.rows());
        assertEquals(4, p.batches());
        assertTrue(p.nanos() >= 0);
        assertEquals(Map.of("batches made", 4L, "constant", 14L), p.details());
        assertNull(profile.of(other));
        assertTrue(profile.peakBytes() > 0, "peak recorded when the context closed");
    }

    @Test
    void failureStillCountsWhatCameBeforeAndReportsOnClose() {
        QueryProfile profile = new QueryProfile();
        Object node = new Object();
        try (QueryContext context = new QueryContext(root, 1 << 20)) {
            Operator op = profile.instrument(node, new Source(context, true, 4));
            try (op) {
                assertEquals(4, op.next().getRowCount());
                assertThrows(DuetException.class, op::next);
            }
            op.close(); // closing twice reports once
        }
        OperatorProfile p = profile.of(node);
        assertEquals(4, p.rows());
        assertEquals(1, p.batches());
        assertEquals(Map.of("batches made", 1L, "constant", 7L), p.details());
    }

    @Test
    void unprofiledContextHasNoProfile() {
        try (QueryContext context = new QueryContext(root, 1 << 20)) {
            assertNull(context.profile());
        }
    }
}
