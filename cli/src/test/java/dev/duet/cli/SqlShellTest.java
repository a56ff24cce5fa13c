package dev.duet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shell's reading, formatting and error handling over a plain JDBC connection: an in-memory
 * DuckDB database, so that this part is tested independently of Duet's driver
 * ({@link ShellCommandTest} runs the shell on Duet).
 */
class SqlShellTest {
    private Connection connection;
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private SqlShell shell;

    @BeforeEach
    void open() throws Exception {
        connection = DriverManager.getConnection("jdbc:duckdb:");
        shell = new SqlShell(connection, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void close() throws Exception {
        connection.close();
    }

    private String run(String script) throws Exception {
        shell.run(new BufferedReader(new StringReader(script)), false);
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void multiLineStatementsQuotesAndComments() throws Exception {
        String out = run("""
                CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR);  -- a comment; with a semicolon
                INSERT INTO t VALUES (1, 'semi;colon'),
                  (2, 'it''s');  INSERT INTO t
                VALUES /* ; */ (3, NULL);
                SELECT id, name
                FROM t
                ORDER BY id;
                """);
        assertEquals("""
                CREATE TABLE
                INSERT 0 2
                INSERT 0 1
                 id |    name
                ----+------------
                  1 | semi;colon
                  2 | it's
                  3 |
                (3 rows)

                """, out);
        assertEquals("", err());
        assertEquals(0, shell.errors());
    }

    @Test
    void errorsArePrintedAndTheShellGoesOn() throws Exception {
        String out = run("""
                SELECT * FROM missing;
                SELECT 42 AS answer;
                """);
        assertEquals("""
                 answer
                --------
                     42
                (1 row)

                """, out);
        assertTrue(err().startsWith("ERROR: "), err());
        assertTrue(err().contains("missing"), err());
        assertEquals(1, shell.errors());
    }

    @Test
    void unterminatedLastStatementRunsAtEndOfInput() throws Exception {
        assertEquals("""
                 x
                ---
                 1
                (1 row)

                """, run("-- leading comment\nSELECT 1 AS x\n-- trailing comment"));
    }

    @Test
    void onlyCommentsRunNothing() throws Exception {
        assertEquals("", run("-- nothing\n/* at\n all; */\n"));
        assertEquals("", err());
    }

    @Test
    void metaCommands() throws Exception {
        String out = run("""
                CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL, price DECIMAL(12,2));
                \\d
                \\d items
                \\d nothere
                \\timing off
                \\bogus
                \\q
                SELECT 'not reached';
                """);
        assertTrue(out.contains("""
                  List of relations
                 Schema | Name  | Type
                --------+-------+-------
                 main   | items |"""), out);
        assertTrue(out.contains("""
                 Column |     Type      | Nullable | Default
                --------+---------------+----------+---------
                 id     | bigint        | not null |
                 name   | varchar       | not null |
                 price  | decimal(12,2) |          |
                (3 rows)
                """), out);
        assertTrue(out.contains("Timing is off."), out);
        assertTrue(!out.contains("not reached"), out);
        assertEquals("Did not find any relation named \"nothere\".\ninvalid command \\bogus; try \\? for help.\n", err());
    }

    @Test
    void timingPrintsOneLinePerStatement() throws Exception {
        String out = run("\\timing\nSELECT 1 AS x; SELECT 2 AS y;\n");
        assertTrue(out.startsWith("Timing is on.\n"), out);
        assertEquals(2, out.lines().filter(l -> l.matches("Time: \\d+\\.\\d{3} ms")).count(), out);
    }

    @Test
    void commandTags() {
        assertEquals("INSERT 0 5", SqlShell.commandTag("insert into t values (1)", 5));
        assertEquals("UPDATE 0", SqlShell.commandTag("/* c */ update t set x = 1", 0));
        assertEquals("DELETE 2", SqlShell.commandTag("-- c\n delete from t", 2));
        assertEquals("CREATE TABLE", SqlShell.commandTag("create table t (x int)", 0));
        assertEquals("CREATE INDEX", SqlShell.commandTag("CREATE UNIQUE INDEX i ON t (x)", 0));
        assertEquals("CREATE VIEW", SqlShell.commandTag("create or replace view v as select 1", 0));
        assertEquals("DROP TABLE", SqlShell.commandTag("drop table t", 0));
        assertEquals("BEGIN", SqlShell.commandTag("begin", 0));
    }
}
