package dev.duet.engine.sql;

import static dev.duet.engine.sql.SqlTestSupport.assertFails;
import static dev.duet.engine.sql.SqlTestSupport.query;
import static dev.duet.engine.sql.SqlTestSupport.rows;
import static dev.duet.engine.sql.SqlTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions through sessions: auto-commit, BEGIN / COMMIT / ROLLBACK, JDBC-style auto-commit
 * off, PostgreSQL's aborted transactions (25P02), read-only sessions (25006), write conflicts
 * (40001), open results across writes, and durability across a reopen.
 */
class SessionTransactionsTest {
    @TempDir
    Path dir;

    private Duet db;
    private Session a;
    private Session b;

    @BeforeEach
    void open() {
        db = Duet.inMemory();
        a = db.newSession();
        b = db.newSession();
        run(a, "CREATE TABLE acct (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)");
        run(a, "INSERT INTO acct VALUES (1, 100), (2, 200)");
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
        assertEquals(0, db.allocator().getAllocatedMemory(), "Arrow memory left allocated");
        assertEquals(0, db.rowStore().openSnapshots(), "a transaction was left open");
        db.close();
    }

    private static List<List<Object>> balances(Session s) {
        return query(s, "SELECT id, balance FROM acct");
    }

    @Test
    void anAutoCommitBatchIsOneCommitAndKeepsWhatPrecedesItsFailingStatement() {
        Prepared insert = a.prepare("INSERT INTO acct VALUES (?, ?)");
        long before = db.rowStore().lastCommitTimestamp();
        BatchOutcome ok = a.executeBatch(insert, List.of(List.of(3, 300), List.of(4, 400), List.of(5, 500)));
        assertNull(ok.failure());
        assertArrayEquals(new long[] {1, 1, 1}, ok.counts());
        assertEquals(before + 1, db.rowStore().lastCommitTimestamp(), "one commit for the whole batch");

        BatchOutcome failed = a.executeBatch(insert,
                List.of(List.of(6, 600), List.of(7, 700), List.of(1, 0), List.of(8, 800)));
        assertEquals(SqlState.UNIQUE_VIOLATION, ((DuetException) failed.failure()).state());
        assertArrayEquals(new long[] {1, 1}, failed.counts());
        assertEquals(before + 2, db.rowStore().lastCommitTimestamp());
        assertEquals(List.of(List.of(1, 100), List.of(2, 200), List.of(3, 300), List.of(4, 400), List.of(5, 500),
                List.of(6, 600), List.of(7, 700)), balances(b));
        assertFalse(a.inTransaction());
    }

    @Test
    void aFailingStatementOfABatchLeavesNoneOfItsRows() {
        run(a, "INSERT INTO acct VALUES (12, 0)");
        Prepared copy = a.prepare("INSERT INTO acct SELECT id + ?, balance FROM acct WHERE id <= 2");
        // +20 inserts 21 and 22; +10 inserts 11, then fails on 12: 11 must go too
        BatchOutcome outcome = a.executeBatch(copy, List.of(List.of(20), List.of(10), List.of(30)));
        assertEquals(SqlState.UNIQUE_VIOLATION, ((DuetException) outcome.failure()).state());
        assertArrayEquals(new long[] {2}, outcome.counts());
        assertEquals(List.of(List.of(1, 100), List.of(2, 200), List.of(12, 0), List.of(21, 100), List.of(22, 200)),
                balances(b));
    }

    @Test
    void aBatchInsideATransactionRunsInItAndAFailureAbortsIt() {
        Prepared insert = a.prepare("INSERT INTO acct VALUES (?, ?)");
        run(a, "BEGIN");
        BatchOutcome outcome = a.executeBatch(insert, List.of(List.of(3, 300), List.of(2, 0)));
        assertEquals(SqlState.UNIQUE_VIOLATION, ((DuetException) outcome.failure()).state());
        assertArrayEquals(new long[] {1}, outcome.counts());
        assertTrue(a.transactionFailed());
        assertEquals(List.of(List.of(1, 100), List.of(2, 200)), balances(b));
        run(a, "ROLLBACK");
        assertEquals(List.of(List.of(1, 100), List.of(2, 200)), balances(a));

        a.setReadOnly(true);
        BatchOutcome readOnly = a.executeBatch(insert, List.of(List.of(3, 300)));
        assertEquals(SqlState.READ_ONLY_SQL_TRANSACTION, ((DuetException) readOnly.failure()).state());
        assertArrayEquals(new long[0], readOnly.counts());
        BatchOutcome rows = b.executeBatch(b.prepare("SELECT id FROM acct WHERE id = ?"), List.of(List.of(1)));
        assertEquals(SqlState.TOO_MANY_RESULTS, ((DuetException) rows.failure()).state());
    }

    @Test
    void explicitTransactionIsInvisibleUntilCommit() {
        assertEquals("BEGIN", run(a, "BEGIN"));
        assertTrue(a.inTransaction());
        run(a, "UPDATE acct SET balance = balance - 10 WHERE id = 1");
        run(a, "INSERT INTO acct VALUES (3, 5)");
        assertEquals(List.of(List.of(1, 90), List.of(2, 200), List.of(3, 5)), balances(a));
        assertEquals(List.of(List.of(1, 100), List.of(2, 200)), balances(b));
        assertEquals("COMMIT", run(a, "COMMIT"));
        assertFalse(a.inTransaction());
        assertEquals(List.of(List.of(1, 90), List.of(2, 200), List.of(3, 5)), balances(b));
    }

    @Test
    void rollbackUndoesWritesAndDdl() {
        run(a, "START TRANSACTION");
        run(a, "DELETE FROM acct");
        run(a, "CREATE TABLE tmp (x INT)");
        run(a, "INSERT INTO tmp VALUES (1)");
        assertEquals(List.of(List.of(1)), query(a, "SELECT x FROM tmp"));
        assertEquals("ROLLBACK", run(a, "ROLLBACK"));
        assertEquals(List.of(List.of(1, 100), List.of(2, 200)), balances(a));
        assertFails(SqlState.UNDEFINED_TABLE, () -> a.execute("SELECT x FROM tmp"));
    }

    @Test
    void failedStatementAbortsTheTransaction() {
        run(a, "BEGIN");
        run(a, "UPDATE acct SET balance = 0 WHERE id = 1");
        assertFails(SqlState.UNIQUE_VIOLATION, () -> a.execute("INSERT INTO acct VALUES (3, 1), (2, 1)"));
        assertTrue(a.transactionFailed());
        assertFails(SqlState.IN_FAILED_SQL_TRANSACTION, () -> a.execute("SELECT id FROM acct"));
        assertFails(SqlState.IN_FAILED_SQL_TRANSACTION, () -> a.execute("INSERT INTO acct VALUES (4, 4)"));
        // COMMIT of an aborted transaction rolls it back and says so
        assertEquals("ROLLBACK", run(a, "COMMIT"));
        assertFalse(a.inTransaction());
        assertEquals(List.of(List.of(1, 100), List.of(2, 200)), balances(a));
        // errors found while planning abort the transaction too; then nothing is even planned
        run(a, "BEGIN");
        assertFails(SqlState.UNDEFINED_TABLE, () -> a.execute("SELECT * FROM nope"));
        assertFails(SqlState.IN_FAILED_SQL_TRANSACTION, () -> a.execute("SELECT id FROM acct"));
        assertFails(SqlState.IN_FAILED_SQL_TRANSACTION, () -> a.execute("SELECT * FROM nope"));
        assertFails(SqlState.IN_FAILED_SQL_TRANSACTION, () -> a.prepare("SELECT id FROM acct"));
        assertFails(SqlState.IN_FAILED_SQL_TRANSACTION, () -> a.executeScript("SELECT id FROM acct; ROLLBACK"));
        assertTrue(a.inTransaction());
        run(a, "ROLLBACK");
        // and errors found while reading a result
        run(a, "BEGIN");
        assertFails(SqlState.DIVISION_BY_ZERO, () -> rows(a.execute("SELECT 1 / (id - 2) FROM acct")));
        assertFails(SqlState.IN_FAILED_SQL_TRANSACTION, () -> a.execute("SELECT id FROM acct"));
        run(a, "ROLLBACK");
        assertEquals(List.of(List.of(1, 100), List.of(2, 200)), balances(a));
    }

    @Test
    void autoCommitOffIsOneTransactionUntilCommit() {
        a.setAutoCommit(false);
        assertFalse(a.inTransaction());
        run(a, "INSERT INTO acct VALUES (3, 300)");
        assertTrue(a.inTransaction());
        assertEquals(2, balances(b).size());
        a.commit();
        assertEquals(3, balances(b).size());
        run(a, "DELETE FROM acct WHERE id = 3");
        a.rollback();
        assertEquals(3, balances(b).size());
        // a failure aborts the transaction; commit() rolls it back and reports 25P02
        run(a, "DELETE FROM acct WHERE id = 3");
        assertFails(SqlState.NOT_NULL_VIOLATION, () -> a.execute("UPDATE acct SET balance = NULL"));
        assertFails(SqlState.IN_FAILED_SQL_TRANSACTION, () -> a.execute("SELECT id FROM acct"));
        assertFails(SqlState.IN_FAILED_SQL_TRANSACTION, () -> a.commit());
        assertEquals(3, balances(b).size());
        // turning auto-commit on commits
        run(a, "DELETE FROM acct WHERE id = 3");
        a.setAutoCommit(true);
        assertFalse(a.inTransaction());
        assertEquals(2, balances(b).size());
    }

    @Test
    void failedStatementInAutoCommitLeavesNothing() {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            values.append(i == 0 ? "" : ", ").append('(').append(i + 10).append(", ").append(i == 500 ? "NULL" : i).append(')');
        }
        assertFails(SqlState.NOT_NULL_VIOLATION, () -> a.execute("INSERT INTO acct VALUES " + values));
        assertEquals(2, balances(a).size());
        assertFalse(a.inTransaction());
    }

    @Test
    void readOnlySessionsCannotWrite() {
        a.setReadOnly(true);
        assertFails(SqlState.READ_ONLY_SQL_TRANSACTION, () -> a.execute("INSERT INTO acct VALUES (3, 3)"));
        assertFails(SqlState.READ_ONLY_SQL_TRANSACTION, () -> a.execute("CREATE TABLE x (y INT)"));
        assertEquals(2, balances(a).size());
        assertEquals(List.of(List.of("on")), query(a, "SHOW transaction_read_only"));
        a.setReadOnly(false);
        run(a, "BEGIN READ ONLY");
        assertFails(SqlState.READ_ONLY_SQL_TRANSACTION, () -> a.execute("DELETE FROM acct"));
        run(a, "ROLLBACK");
        run(a, "BEGIN");
        assertFails(SqlState.ACTIVE_SQL_TRANSACTION, () -> a.setReadOnly(true));
        run(a, "SET TRANSACTION READ ONLY");
        assertFails(SqlState.READ_ONLY_SQL_TRANSACTION, () -> a.execute("DELETE FROM acct"));
        run(a, "ROLLBACK");
        run(a, "DELETE FROM acct WHERE id = 2");
        assertEquals(1, balances(a).size());
    }

    @Test
    void writeConflictsFailWith40001() {
        run(a, "BEGIN");
        run(a, "UPDATE acct SET balance = balance + 1 WHERE id = 1");
        run(b, "UPDATE acct SET balance = balance + 2 WHERE id = 1"); // commits first
        assertFails(SqlState.SERIALIZATION_FAILURE, () -> a.execute("COMMIT"));
        assertFalse(a.inTransaction());
        assertEquals(List.of(List.of(1, 102), List.of(2, 200)), balances(a));
        // reported by the statement when the other commit came first
        run(a, "BEGIN");
        query(a, "SELECT id FROM acct"); // the snapshot is taken
        run(b, "UPDATE acct SET balance = 0 WHERE id = 2");
        assertFails(SqlState.SERIALIZATION_FAILURE, () -> a.execute("DELETE FROM acct WHERE id = 2"));
        assertEquals("ROLLBACK", run(a, "COMMIT"));
    }

    @Test
    void openResultKeepsItsRowsWhenTheTransactionWritesOn() {
        for (int i = 3; i <= 10_000; i++) {
            db.insert("acct", i, i);
        }
        run(a, "BEGIN");
        Result open = a.execute("SELECT id, balance FROM acct");
        VectorSchemaRoot first = open.nextBatch();
        int firstRows = first.getRowCount();
        Object firstId = dev.duet.core.exec.Batches.get(first.getVector(0), 0);
        assertEquals(List.of(List.of(10_000L)), query(a, "SELECT count(*) FROM acct")); // a read beside it
        assertTrue(((QueryResult) open).streaming(), "a query does not make an open result read ahead");
        run(a, "UPDATE acct SET balance = -1");        // reads the rest of `open` ahead first
        assertFalse(((QueryResult) open).streaming());
        run(a, "DELETE FROM acct WHERE id > 5000");
        // the batch in hand is still valid, and the rest is what the query saw when it ran
        assertEquals(firstRows, first.getRowCount());
        assertEquals(firstId, dev.duet.core.exec.Batches.get(first.getVector(0), 0));
        long total = firstRows;
        for (VectorSchemaRoot batch; (batch = open.nextBatch()) != null; ) {
            for (int r = 0; r < batch.getRowCount(); r++) {
                assertTrue(((Integer) dev.duet.core.exec.Batches.get(batch.getVector(1), r)) >= 0);
            }
            total += batch.getRowCount();
        }
        assertEquals(10_000, total);
        assertEquals("SELECT 10000", open.commandTag());
        open.close();
        run(a, "COMMIT");
        assertEquals(5000, balances(b).size());
    }

    @Test
    void transactionControlSpellings() {
        assertEquals("BEGIN", run(a, "BEGIN ISOLATION LEVEL SERIALIZABLE"));
        assertEquals("BEGIN", run(a, "BEGIN")); // already in one: PostgreSQL warns and goes on
        assertEquals("SET", run(a, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"));
        run(a, "INSERT INTO acct VALUES (3, 3)");
        assertEquals("COMMIT", run(a, "COMMIT AND CHAIN"));
        assertTrue(a.inTransaction());
        run(a, "INSERT INTO acct VALUES (4, 4)");
        assertEquals("ROLLBACK", run(a, "ROLLBACK AND NO CHAIN"));
        assertFalse(a.inTransaction());
        run(a, "START TRANSACTION");
        run(a, "DELETE FROM acct WHERE id = 3");
        assertEquals("COMMIT", run(a, "END"));
        assertEquals("COMMIT", run(a, "COMMIT")); // none open: PostgreSQL warns and goes on
        assertEquals(List.of(List.of(1, 100), List.of(2, 200)), balances(b));
    }

    @Test
    void scriptInAutoCommitKeepsWhatRanBeforeAFailure() {
        assertFails(SqlState.UNIQUE_VIOLATION, () -> a.executeScript(
                "INSERT INTO acct VALUES (3, 3); SELECT id FROM acct; INSERT INTO acct VALUES (1, 1); INSERT INTO acct VALUES (4, 4)"));
        assertEquals(List.of(List.of(1, 100), List.of(2, 200), List.of(3, 3)), balances(b));
        // inside BEGIN the failure aborts the transaction
        assertFails(SqlState.UNIQUE_VIOLATION, () -> a.executeScript(
                "BEGIN; DELETE FROM acct WHERE id = 3; INSERT INTO acct VALUES (1, 1)"));
        assertTrue(a.transactionFailed());
        List<Result> end = a.executeScript("ROLLBACK");
        assertEquals("ROLLBACK", end.get(0).commandTag());
        assertEquals(3, balances(b).size());
    }

    @Test
    void closingASessionRollsBack() {
        Session c = db.newSession();
        run(c, "BEGIN");
        run(c, "DELETE FROM acct");
        Result unread = c.execute("SELECT id FROM acct");
        c.close();
        unread.close();
        assertEquals(2, balances(a).size());
    }

    @Test
    void committedDataSurvivesReopen() {
        try (Duet disk = Duet.open(dir, DuetConfig.defaults()); Session s = disk.newSession()) {
            run(s, "CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR(20))");
            run(s, "INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three')");
            run(s, "CREATE TABLE c AS SELECT id * 10 AS id10, name FROM t WHERE id > 1");
            run(s, "BEGIN");
            run(s, "UPDATE t SET name = 'uno' WHERE id = 1");
            run(s, "COMMIT");
            run(s, "BEGIN");
            run(s, "DELETE FROM t");          // never committed
            run(s, "DROP TABLE c");
        }
        try (Duet disk = Duet.open(dir, DuetConfig.defaults()); Session s = disk.newSession()) {
            assertEquals(List.of(List.of(1L, "uno"), List.of(2L, "two"), List.of(3L, "three")), query(s, "SELECT * FROM t"));
            assertEquals(List.of(List.of(20L, "two"), List.of(30L, "three")), query(s, "SELECT * FROM c"));
            assertEquals(0, disk.allocator().getAllocatedMemory());
        }
    }
}
