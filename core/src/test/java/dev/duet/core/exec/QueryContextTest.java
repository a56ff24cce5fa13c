package dev.duet.core.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.types.DataType;
import java.time.Duration;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueryContextTest {
    private final RootAllocator root = new RootAllocator();

    @AfterEach
    void rootIsEmpty() {
        assertEquals(0, root.getAllocatedMemory(), "memory left in the root allocator");
        root.close();
    }

    private static DuetException assertFails(SqlState state, Runnable action) {
        DuetException e = assertThrows(DuetException.class, action::run);
        assertEquals(state, e.state(), e::toString);
        return e;
    }

    @Test
    void parameterNamesArePostgresStyleAndOneBasedBeyondTheCachedOnes() {
        assertEquals("$1", QueryContext.parameterName(0));
        assertEquals("$64", QueryContext.parameterName(63));
        assertEquals("$65", QueryContext.parameterName(64));
        assertEquals("$1001", QueryContext.parameterName(1000));
        assertSame(QueryContext.parameterName(3), QueryContext.parameterName(3), "made once, not per call");
    }

    @Test
    void allocationsWithinTheLimitSucceedAndAreAccounted() {
        try (QueryContext ctx = new QueryContext(root, 1 << 20)) {
            try (ArrowBuf buf = ctx.allocator().buffer(4096)) {
                assertEquals(4096, ctx.allocatedBytes());
                buf.setLong(0, 42);
            }
            assertEquals(0, ctx.allocatedBytes());
            assertEquals(4096, ctx.peakBytes());
            assertEquals(1 << 20, ctx.memoryLimit());
            assertSame(root, ctx.allocator().getParentAllocator());
        }
    }

    @Test
    void exceedingTheQueryLimitIs53200NamingTheLimitAndHoldsNothing() {
        try (QueryContext ctx = new QueryContext(root, 10_000)) {
            try (ArrowBuf kept = ctx.allocator().buffer(8192)) {
                DuetException e = assertFails(SqlState.OUT_OF_MEMORY, () -> ctx.allocator().buffer(8192).close());
                assertTrue(e.getMessage().contains("query memory limit of 10000 bytes"), e.getMessage());
                assertEquals(8192, ctx.allocatedBytes(), "the failed allocation must hold nothing");
                kept.setByte(0, 1);
            }
        }
    }

    @Test
    void vectorGrowthPastTheLimitIs53200() {
        try (QueryContext ctx = new QueryContext(root, 64 * 1024);
                VarCharVector v = new VarCharVector("s", ctx.allocator())) {
            v.allocateNew();
            byte[] value = new byte[1000];
            assertFails(SqlState.OUT_OF_MEMORY, () -> {
                for (int i = 0; i < 1000; i++) {
                    v.setSafe(i, value);
                }
            });
        }
    }

    @Test
    void exceedingTheDatabaseLimitIs53200NamingThatLimit() {
        try (BufferAllocator db = root.newChildAllocator("db", 0, 16_384);
                QueryContext a = new QueryContext(db, 1 << 20);
                QueryContext b = new QueryContext(db, 1 << 20);
                ArrowBuf held = a.allocator().buffer(16_384)) {
            DuetException e = assertFails(SqlState.OUT_OF_MEMORY, () -> b.allocator().buffer(1024).close());
            assertTrue(e.getMessage().contains("database memory limit of 16384 bytes"), e.getMessage());
            assertEquals(0, b.allocatedBytes());
            held.setByte(0, 1);
        }
    }

    @Test
    void allocatingTurnsArrowOutOfMemoryInto53200() {
        try (QueryContext ctx = new QueryContext(root, 1000)) {
            DuetException e = assertFails(SqlState.OUT_OF_MEMORY, () -> ctx.allocating(() -> {
                throw new OutOfMemoryException("direct memory exhausted");
            }));
            assertTrue(e.getMessage().contains("query memory limit of 1000 bytes"), e.getMessage());
            assertEquals("ok", ctx.allocating(() -> "ok"));
        }
    }

    @Test
    void closeReportsALeakNamingTheBytesAndStillClosesTheAllocator() {
        // Its own root: memory leaked from a closed allocator can never be returned.
        RootAllocator leakRoot = new RootAllocator();
        QueryContext ctx = new QueryContext(leakRoot, "leaky", 1 << 20);
        ctx.allocator().buffer(1024);
        IllegalStateException e = assertThrows(IllegalStateException.class, ctx::close);
        assertTrue(e.getMessage().contains("leaked 1024 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("leaky"), e.getMessage());
        ctx.close(); // a second close does nothing
        assertEquals(1024, leakRoot.getAllocatedMemory());
        assertThrows(IllegalStateException.class, () -> ctx.allocator().buffer(8), "the allocator is closed");
    }

    @Test
    void closeWithEverythingFreedDetachesFromTheParent() {
        QueryContext ctx = new QueryContext(root, 1 << 20);
        try (VectorSchemaRoot batch = Batches.create(ctx.allocator(), List.of(new BatchColumn("x", DataType.BIGINT, true)))) {
            Batches.allocate(batch, 4096);
            ((BigIntVector) batch.getVector(0)).set(0, 1);
            batch.setRowCount(1);
        }
        ctx.close();
        assertTrue(root.getChildAllocators().isEmpty());
    }

    @Test
    void theAllocatorIsMadeOnlyWhenAskedFor() {
        QueryContext unused = new QueryContext(root, 1 << 20);
        assertTrue(root.getChildAllocators().isEmpty(), "no allocator before one is asked for");
        assertEquals(0, unused.allocatedBytes());
        assertEquals(0, unused.peakBytes());
        unused.close();
        assertThrows(IllegalStateException.class, unused::allocator, "a closed context makes no allocator");
        assertTrue(root.getChildAllocators().isEmpty());

        QueryContext used = new QueryContext(root, 1 << 20);
        BufferAllocator a = used.allocator();
        assertSame(a, used.allocator());
        assertEquals(1, root.getChildAllocators().size());
        used.close();
        assertTrue(root.getChildAllocators().isEmpty());
    }

    @Test
    void cancelFromAnotherThreadIs57014() throws Exception {
        try (QueryContext ctx = new QueryContext(root, 1 << 20)) {
            ctx.checkCancelled();
            assertFalse(ctx.isCancelled());
            Thread t = new Thread(ctx::cancel);
            t.start();
            t.join();
            assertTrue(ctx.isCancelled());
            DuetException e = assertFails(SqlState.QUERY_CANCELED, ctx::checkCancelled);
            assertEquals("canceling statement due to user request", e.getMessage());
        }
    }

    @Test
    void timeoutIs57014AndZeroRemovesIt() throws Exception {
        try (QueryContext ctx = new QueryContext(root, 1 << 20)) {
            ctx.setTimeout(Duration.ofHours(1));
            ctx.checkCancelled();
            ctx.setTimeout(Duration.ofMillis(1));
            Thread.sleep(5);
            DuetException e = assertFails(SqlState.QUERY_CANCELED, ctx::checkCancelled);
            assertEquals("canceling statement due to statement timeout", e.getMessage());
            ctx.setTimeout(Duration.ZERO);
            ctx.checkCancelled();
            ctx.setTimeout(Duration.ofSeconds(Long.MAX_VALUE)); // too long for nanos: no timeout
            ctx.checkCancelled();
            assertThrows(IllegalArgumentException.class, () -> ctx.setTimeout(Duration.ofMillis(-1)));
        }
    }

    @Test
    void batchSizeDefaultsTo4096AndIsBounded() {
        try (QueryContext ctx = new QueryContext(root, 1 << 20)) {
            assertEquals(4096, ctx.batchSize());
            ctx.setBatchSize(100);
            assertEquals(100, ctx.batchSize());
            assertThrows(IllegalArgumentException.class, () -> ctx.setBatchSize(0));
            assertThrows(IllegalArgumentException.class, () -> ctx.setBatchSize(Operator.MAX_BATCH_SIZE + 1));
        }
        assertThrows(IllegalArgumentException.class, () -> new QueryContext(root, 0));
    }
}
