package dev.duet.planner.exec.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;

/**
 * A root allocator and one {@link dev.duet.core.exec.QueryContext} per test; after each test the
 * context is closed (which fails on leaked bytes) and the root must be empty.
 */
abstract class OperatorTestBase {
    static final long MEMORY_LIMIT = 1L << 30;

    RootAllocator root;
    dev.duet.core.exec.QueryContext context;

    @BeforeEach
    void openContext() {
        root = new RootAllocator();
        context = new dev.duet.core.exec.QueryContext(root, "test", MEMORY_LIMIT);
    }

    @AfterEach
    void closeContext() {
        try {
            context.close();
            assertEquals(0, root.getAllocatedMemory(), "memory left in the root allocator");
        } finally {
            root.close();
        }
    }

    static BatchColumn col(String name, DataType type) {
        return new BatchColumn(name, type, true);
    }

    static List<BatchColumn> cols(BatchColumn... columns) {
        return List.of(columns);
    }

    static Object[] row(Object... values) {
        return values;
    }

    static List<Object[]> rows(Object[]... rows) {
        return new ArrayList<>(Arrays.asList(rows));
    }

    static DuetException assertFails(SqlState state, Executable action) {
        DuetException e = assertThrows(DuetException.class, action);
        assertEquals(state, e.state(), e::toString);
        return e;
    }
}
