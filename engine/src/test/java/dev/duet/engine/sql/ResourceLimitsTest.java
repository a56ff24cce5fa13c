package dev.duet.engine.sql;

import static dev.duet.engine.sql.SqlTestSupport.assertFails;
import static dev.duet.engine.sql.SqlTestSupport.query;
import static dev.duet.engine.sql.SqlTestSupport.rows;
import static dev.duet.engine.sql.SqlTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Memory limits (53200), cancellation and statement timeouts (57014): the statement fails with
 * its SQLSTATE, none of its writes remain, its memory is freed, and the session goes on.
 */
class ResourceLimitsTest {
    private static final int ROWS = 60_000;

    private Duet db;
    private Session session;

    @BeforeEach
    void open() {
        db = Duet.inMemory(DuetConfig.defaults().withDurability(DuetConfig.Durability.ASYNC));
        session = db.newSession();
        run(session, "CREATE TABLE big (id INTEGER PRIMARY KEY, pad VARCHAR)");
        String pad = "x".repeat(200);
        db.run(tx -> {
            for (int i = 0; i < ROWS; i++) {
                tx.insert("big", i, pad);
            }
        });
        run(session, "CREATE TABLE copy (id INTEGER PRIMARY KEY, pad VARCHAR)");
    }

    @AfterEach
    void close() {
        session.close();
        assertEquals(0, db.allocator().getAllocatedMemory(), "Arrow memory left allocated");
        assertEquals(0, db.rowStore().openSnapshots(), "a transaction was left open");
        db.close();
    }

    private long count(String table) {
        return query(session, "SELECT id FROM " + table).size();
    }

    @Test
    void queryOverTheMemoryLimitFailsWith53200() {
        run(session, "SET duet.memory_limit = '256kB'");
        assertFails(SqlState.OUT_OF_MEMORY, () -> rows(session.execute("SELECT id, pad FROM big")));
        assertFails(SqlState.OUT_OF_MEMORY, () -> session.execute("INSERT INTO copy SELECT id, pad FROM big"));
        run(session, "RESET duet.memory_limit");
        assertEquals(0, count("copy"));
        assertEquals(ROWS, rows(session.execute("SELECT id, pad FROM big")).size());
    }

    @Test
    void sortOverTheMemoryLimitFailsWith53200() {
        run(session, "SET duet.memory_limit = '4MB'");
        assertFails(SqlState.OUT_OF_MEMORY, () -> rows(session.execute("SELECT id, pad FROM big ORDER BY pad, id DESC")));
        assertFails(SqlState.OUT_OF_MEMORY,
                () -> rows(session.execute("SELECT pad || id, count(*) FROM big GROUP BY pad || id")));
        run(session, "RESET duet.memory_limit");
        assertEquals(List.of(List.of((long) ROWS)), query(session, "SELECT count(*) FROM big"));
    }

    @Test
    void crossJoinTimesOut() {
        // 3.6 billion row pairs: no machine finishes them within the timeout
        run(session, "SET statement_timeout = '200ms'");
        assertFails(SqlState.QUERY_CANCELED, () -> rows(session.execute("SELECT count(*) FROM big a, big b WHERE a.pad < b.pad")));
        run(session, "RESET statement_timeout");
    }

    @Test
    void crossJoinCancelledFromAnotherThread() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread canceller = new Thread(() -> {
            // cancel() reaches statements running at the moment it is called: repeat until the
            // query has failed (it cannot finish by itself within the test's lifetime)
            while (!done.get()) {
                session.cancel();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        canceller.start();
        try {
            assertFails(SqlState.QUERY_CANCELED,
                    () -> rows(session.execute("SELECT count(*) FROM big a, big b WHERE a.pad < b.pad")));
        } finally {
            done.set(true);
            canceller.join();
        }
        assertEquals(List.of(List.of((long) ROWS)), query(session, "SELECT count(*) FROM big"));
    }

    @Test
    void databaseWideQueryLimit() {
        try (Duet small = Duet.inMemory(DuetConfig.defaults().withQueryMemoryLimit(256 << 10));
                Session s = small.newSession()) {
            run(s, "CREATE TABLE w (s VARCHAR)");
            String pad = "y".repeat(1000);
            small.run(tx -> {
                for (int i = 0; i < 2000; i++) {
                    tx.insert("w", pad);
                }
            });
            assertEquals(List.of(List.of("256kB")), query(s, "SHOW duet.memory_limit"));
            run(s, "BEGIN");
            assertFails(SqlState.OUT_OF_MEMORY, () -> rows(s.execute("SELECT s FROM w")));
            assertFails(SqlState.IN_FAILED_SQL_TRANSACTION, () -> s.execute("SELECT s FROM w"));
            run(s, "ROLLBACK");
            run(s, "SET duet.memory_limit = '64MB'");
            assertEquals(2000, rows(s.execute("SELECT s FROM w")).size());
            assertEquals(0, small.allocator().getAllocatedMemory());
        }
    }

    @Test
    void cancelFromAnotherThread() throws Exception {
        Result r = session.execute("SELECT id, pad FROM big");
        assertNotNull(r.nextBatch());
        Thread canceller = new Thread(session::cancel);
        canceller.start();
        canceller.join();
        DuetException e = assertFails(SqlState.QUERY_CANCELED, () -> {
            while (r.nextBatch() != null) {
                // the cancel is seen at the next batch at the latest
            }
        });
        assertTrue(e.getMessage().contains("user request"), e::getMessage);
        r.close();
        // the cancel applied to that statement only
        assertEquals(ROWS, count("big"));
    }

    @Test
    void cancelledStatementInATransactionIsUndone() throws Exception {
        run(session, "BEGIN");
        run(session, "INSERT INTO copy VALUES (-1, 'kept until the abort')");
        Result r = session.execute("SELECT id, pad FROM big");
        assertNotNull(r.nextBatch());
        session.cancel();
        assertFails(SqlState.QUERY_CANCELED, () -> {
            while (r.nextBatch() != null) {
                // drained until the cancel is seen
            }
        });
        r.close();
        assertFails(SqlState.IN_FAILED_SQL_TRANSACTION, () -> session.execute("SELECT id FROM copy"));
        run(session, "ROLLBACK");
        assertEquals(0, count("copy"));
    }

    @Test
    void statementTimeout() throws Exception {
        // the row store: its first batch comes at once (a column scan may first wait for the sync)
        run(session, "SET duet.route = 'row'");
        run(session, "SET statement_timeout = 20");
        Result r = session.execute("SELECT id, pad FROM big");
        assertNotNull(r.nextBatch());
        Thread.sleep(50); // past the deadline: the next batch must fail, however fast the machine
        DuetException e = assertFails(SqlState.QUERY_CANCELED, () -> {
            while (r.nextBatch() != null) {
                // the deadline is checked per batch
            }
        });
        assertTrue(e.getMessage().contains("timeout"), e::getMessage);
        r.close();
        run(session, "SET statement_timeout = 0");
        assertEquals(ROWS, count("big"));
    }

    @Test
    void timedOutWriteLeavesNothing() {
        // copying 60,000 rows takes far longer than a millisecond; it is checked once per batch
        session.setStatementTimeout(java.time.Duration.ofMillis(1));
        assertFails(SqlState.QUERY_CANCELED, () -> session.execute("INSERT INTO copy SELECT id, pad FROM big"));
        run(session, "BEGIN");
        assertFails(SqlState.QUERY_CANCELED, () -> session.execute("UPDATE big SET pad = 'changed'"));
        run(session, "ROLLBACK");
        session.setStatementTimeout(java.time.Duration.ZERO);
        assertEquals(0, count("copy"));
        assertEquals(0, query(session, "SELECT id FROM big WHERE pad = 'changed'").size());
    }
}
