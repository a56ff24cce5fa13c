package dev.duet.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/**
 * Every conversion and cursor rule of {@link ResultSetConversionsTest}, on rows held as canonical
 * Java values (how a primary-key point lookup hands over its row, see
 * {@link BatchSource#valueRows()}): they must read exactly as rows of a batch do.
 */
class ValueRowConversionsTest extends ResultSetConversionsTest {
    /** Sources made by {@link #rows}, to check they were closed. */
    private ValueSource last;

    @Override
    ResultSet rows(Object[]... rows) {
        last = new ValueSource(List.of(rows));
        return new DuetResultSet(null, COLUMNS, last, 0);
    }

    @Test
    void theRowsAreReadWithoutABatchAndTheSourceIsClosedAfterTheLast() throws SQLException {
        try (ResultSet rs = rows(new Object[COLUMNS.size()])) {
            assertTrue(rs.next());
            rs.getObject(1);
            assertEquals(false, rs.next());
            assertTrue(last.closed, "passing the last row closes the source");
        }
    }

    /** Value rows hold no Arrow memory: closing early must close the source (which frees the result). */
    @Override
    @Test
    void closingEarlyFreesTheRows() throws SQLException {
        ResultSet rs = rows(full(), full(), nulls());
        assertTrue(rs.next());
        assertFalse(last.closed);
        rs.close();
        assertTrue(last.closed);
    }

    private static final class ValueSource implements BatchSource {
        private final List<Object[]> rows;
        boolean closed;

        ValueSource(List<Object[]> rows) {
            this.rows = rows;
        }

        @Override
        public VectorSchemaRoot nextBatch() {
            throw new AssertionError("rows held as values are not read as batches");
        }

        @Override
        public List<Object[]> valueRows() {
            return rows;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
