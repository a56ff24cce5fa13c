package dev.duet.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.duet.core.SqlState;
import dev.duet.engine.Duet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * INSERT, UPDATE, DELETE and CREATE TABLE AS against DuckDB: the same statements on both, the
 * same update counts, failures in the same places, and the same table contents after every one.
 * Covers tables with a primary key (rows addressed by key, key updates that shift keys within
 * one statement) and without (duplicate rows matched by value), NULLs, self-referencing
 * INSERT ... SELECT, and statement atomicity (a failing multi-row statement leaves nothing).
 */
class DmlDifferentialTest {
    private Duet db;
    private Session session;
    private DuckDbOracle oracle;

    @BeforeEach
    void open() {
        db = Duet.inMemory();
        session = db.newSession();
        oracle = new DuckDbOracle(session);
    }

    @AfterEach
    void close() {
        oracle.close();
        session.close();
        assertEquals(0, db.allocator().getAllocatedMemory(), "Arrow memory left allocated");
        db.close();
    }

    @Test
    void tableWithPrimaryKey() {
        oracle.run("CREATE TABLE k (id BIGINT PRIMARY KEY, name VARCHAR, qty INTEGER, price DECIMAL(10,2), d DATE, ok BOOLEAN)");
        String[] k = {"k"};
        oracle.run("INSERT INTO k VALUES (1, 'apple', 10, 1.50, DATE '2024-01-01', true), (2, 'pear', NULL, 2.25, NULL, false),"
                + " (3, NULL, 5, NULL, DATE '2024-02-29', NULL), (4, 'fig', 0, 0.10, DATE '2023-12-31', true)", k);
        oracle.run("INSERT INTO k (id, name) VALUES (5, 'kiwi')", k);
        oracle.run("INSERT INTO k SELECT id + 10, name, qty * 2, price, d, ok FROM k WHERE qty IS NOT NULL", k);
        oracle.run("UPDATE k SET qty = qty + 1 WHERE qty IS NOT NULL", k);
        oracle.run("UPDATE k SET name = 'big', price = price * 2 WHERE id > 10", k);
        oracle.run("UPDATE k SET ok = NOT ok, d = NULL WHERE ok IS NOT NULL AND id < 10", k);
        oracle.run("UPDATE k SET qty = 7 WHERE id = 999", k);
        oracle.run("UPDATE k SET id = id + 100 WHERE id < 10", k);
        oracle.run("UPDATE k SET id = id + 1", k); // every key moves onto its neighbour's old key
        assertNotNull(oracle.run("INSERT INTO k VALUES (500, 'a', 1, 1, NULL, NULL), (500, 'b', 1, 1, NULL, NULL)", k));
        assertNotNull(oracle.run("INSERT INTO k VALUES (600, 'a', 1, 1, NULL, NULL), (102, 'b', 1, 1, NULL, NULL)", k));
        assertNotNull(oracle.run("UPDATE k SET id = 102", k));
        oracle.run("DELETE FROM k WHERE ok", k);
        oracle.run("DELETE FROM k WHERE qty > 100", k);
        oracle.run("DELETE FROM k WHERE id > 0", k);
        oracle.run("INSERT INTO k (id) VALUES (1)", k);
    }

    /** UPDATE and DELETE of one whole primary key read their row without a plan (a point lookup). */
    @Test
    void updatesAndDeletesOfOneKey() {
        oracle.run("CREATE TABLE p (id BIGINT PRIMARY KEY, name VARCHAR(8), qty INTEGER, price DECIMAL(10,2), d DATE)");
        String[] p = {"p"};
        oracle.run("INSERT INTO p VALUES (1, 'apple', 10, 1.50, DATE '2024-01-01'), (2, 'pear', NULL, 2.25, NULL),"
                + " (3, NULL, 5, NULL, DATE '2024-02-29'), (4, 'fig', 0, 0.10, DATE '2023-12-31')", p);
        oracle.run("UPDATE p SET qty = 7 WHERE id = 2", p);
        oracle.run("UPDATE p SET name = 'plum', d = NULL, price = 3 WHERE id = 3", p);
        oracle.run("UPDATE p SET qty = qty + 1 WHERE id = 1", p);
        oracle.run("UPDATE p SET qty = 1 WHERE id = 999", p);
        oracle.run("UPDATE p SET id = 40 WHERE id = 4", p);
        oracle.run("UPDATE p SET qty = 8 WHERE 40 = id", p);
        assertNotNull(oracle.run("UPDATE p SET id = 2 WHERE id = 3", p));
        oracle.run("DELETE FROM p WHERE id = 1", p);
        oracle.run("DELETE FROM p WHERE id = 1", p);
        oracle.run("INSERT INTO p (id, name) VALUES (1, 'again')", p);
    }

    @Test
    void tableWithoutKeyHasInterchangeableDuplicates() {
        oracle.run("CREATE TABLE h (a INTEGER, b VARCHAR, c DOUBLE)");
        String[] h = {"h"};
        oracle.run("INSERT INTO h VALUES (1, 'x', 1.5), (1, 'x', 1.5), (1, 'x', 1.5), (2, NULL, NULL), (2, NULL, NULL),"
                + " (3, 'y', -0.0), (4, 'z', 2.5), (5, 'y', 0.1)", h);
        oracle.run("INSERT INTO h SELECT a, b, c FROM h WHERE a = 1", h); // reads the table it writes
        oracle.run("UPDATE h SET c = c + 1 WHERE a = 1", h);
        oracle.run("UPDATE h SET b = 'n' WHERE b IS NULL", h);
        oracle.run("UPDATE h SET c = c * 3 WHERE c = 0", h); // -0.0 equals 0
        oracle.run("UPDATE h SET a = a + 1", h);
        oracle.run("DELETE FROM h WHERE a = 3", h);
        oracle.run("DELETE FROM h WHERE c > 2.4", h);
        oracle.run("UPDATE h SET a = NULL WHERE b = 'y'", h);
        oracle.run("DELETE FROM h WHERE a IS NULL", h);
        oracle.run("DELETE FROM h", h);
        oracle.run("INSERT INTO h (b) VALUES ('only b')", h);
    }

    @Test
    void notNullViolationsChangeNothing() {
        oracle.run("CREATE TABLE nn (id INTEGER NOT NULL, v INTEGER)");
        String[] t = {"nn"};
        oracle.run("INSERT INTO nn VALUES (1, 1), (2, 2), (3, NULL)", t);
        assertEquals(SqlState.NOT_NULL_VIOLATION, oracle.run("INSERT INTO nn VALUES (4, 4), (NULL, 5)", t).state());
        assertEquals(SqlState.NOT_NULL_VIOLATION, oracle.run("UPDATE nn SET id = NULL WHERE id > 1", t).state());
        assertEquals(SqlState.NOT_NULL_VIOLATION, oracle.run("INSERT INTO nn (v) VALUES (9)", t).state());
        assertNull(oracle.run("UPDATE nn SET v = NULL", t));
    }

    @Test
    void bigStatementsFailWhole() {
        oracle.run("CREATE TABLE big (id INTEGER PRIMARY KEY, v INTEGER)");
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            values.append(i == 0 ? "" : ", ").append('(').append(i == 500 ? 3 : i).append(", ").append(i).append(')');
        }
        // row 500 repeats key 3: the whole statement fails, rows 0..499 included
        assertEquals(SqlState.UNIQUE_VIOLATION, oracle.run("INSERT INTO big VALUES " + values, "big").state());
        oracle.run("INSERT INTO big VALUES " + values.toString().replace("(3, 500)", "(500, 500)"), "big");
        assertEquals(SqlState.UNIQUE_VIOLATION, oracle.run("INSERT INTO big SELECT id + 990, v FROM big", "big").state());
        oracle.run("INSERT INTO big SELECT id + 1000, v FROM big", "big");
    }

    @Test
    void createTableAsSelect() {
        oracle.run("CREATE TABLE src (id INTEGER, name VARCHAR, price DECIMAL(8,2))");
        oracle.run("INSERT INTO src VALUES (1, 'a', 1.25), (2, NULL, 2.50), (3, 'c', NULL), (3, 'c', NULL)", "src");
        oracle.run("CREATE TABLE copy1 AS SELECT * FROM src", "copy1");
        oracle.run("CREATE TABLE copy2 AS SELECT id * 2 AS twice, name, price + 1 AS more FROM src WHERE id > 1", "copy2");
        oracle.run("CREATE TABLE empty AS SELECT * FROM src WHERE id > 100", "empty");
        assertEquals(List.of("twice", "name", "more"),
                db.catalog().table("public", "copy2").columns().stream().map(c -> c.name()).toList());
        assertNotNull(oracle.run("CREATE TABLE copy1 AS SELECT * FROM src", "copy1"));
        oracle.run("INSERT INTO copy1 SELECT * FROM copy2", "copy1");
        oracle.run("DROP TABLE copy1");
        oracle.run("CREATE TABLE copy1 AS SELECT name FROM src", "copy1");
    }
}
