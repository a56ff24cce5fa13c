package dev.duet.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.exec.Batches;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.function.Executable;

/** Reading results and checking errors in the SQL layer's tests. */
final class SqlTestSupport {
    private SqlTestSupport() {
    }

    /** Every row of {@code result} (canonical values), then closes it. */
    static List<List<Object>> rows(Result result) {
        try (result) {
            List<List<Object>> out = new ArrayList<>();
            for (VectorSchemaRoot b; (b = result.nextBatch()) != null; ) {
                for (Object[] row : Batches.rows(b)) {
                    out.add(Arrays.asList(row));
                }
            }
            return out;
        }
    }

    /** The rows of a query run on {@code session}. */
    static List<List<Object>> query(Session session, String sql) {
        return rows(session.execute(sql));
    }

    /** Runs a statement that returns no rows and returns its command tag. */
    static String run(Session session, String sql) {
        try (Result r = session.execute(sql)) {
            return r.commandTag();
        }
    }

    /** Runs {@code action}, which must fail with a {@link DuetException} of {@code expected}. */
    static DuetException assertFails(SqlState expected, Executable action) {
        DuetException e = assertThrows(DuetException.class, action);
        assertEquals(expected, e.state(), () -> "wrong SQLSTATE for: " + e);
        return e;
    }

    /** Runs the query and reads its rows; it must fail with {@code expected}. */
    static DuetException assertQueryFails(Session session, SqlState expected, String sql) {
        return assertFails(expected, () -> rows(session.execute(sql)));
    }
}
