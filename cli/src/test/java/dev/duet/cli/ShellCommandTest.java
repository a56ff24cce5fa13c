package dev.duet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code duet shell} on Duet's JDBC driver, in process with captured output. */
class ShellCommandTest {
    @TempDir
    Path dir;

    private record Outcome(int status, String out, String err) {
    }

    private static Outcome shell(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ShellCommand.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static final String CREATE = """
            CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL,
                                qty INT, price DECIMAL(12,2));
            INSERT INTO items VALUES (1, 'apple', 3, 1.50), (2, 'semi;colon', NULL, 12.25);
            """;

    @Test
    void scriptFileResultsTagsAndErrors() throws Exception {
        Path script = dir.resolve("script.sql");
        Files.writeString(script, CREATE + """
                -- a comment; with a semicolon
                SELECT id, name, qty, price
                  FROM items WHERE id = 2;
                UPDATE items SET qty = 7 WHERE id = 2;
                SELECT * FROM missing;
                SELECT name AS "Name", qty * 2 AS doubled FROM items WHERE id = 2;
                DELETE FROM items WHERE id = 1;
                \\d items
                """);
        Outcome o = shell("", dir.resolve("db").toString(), "-f", script.toString());
        assertEquals("""
                CREATE TABLE
                INSERT 0 2
                 id |    name    | qty | price
                ----+------------+-----+-------
                  2 | semi;colon |     | 12.25
                (1 row)

                UPDATE 1
                    Name    | doubled
                ------------+---------
                 semi;colon |      14
                (1 row)

                DELETE 1
                            Table "public.items"
                 Column |     Type      | Nullable | Default
                --------+---------------+----------+---------
                 id     | int8          | not null |
                 name   | varchar(40)   | not null |
                 qty    | int4          |          |
                 price  | numeric(12,2) |          |
                (4 rows)

                """, o.out());
        assertTrue(o.err().matches("ERROR: .*missing.* \\(SQLSTATE 42P01\\)\n"), o.err());
        assertEquals(1, o.status(), "a failed statement in a script makes the exit status 1");
    }

    @Test
    void commandOptionRunsAndExits() {
        String db = dir.resolve("db").toString();
        Outcome created = shell("", db, "-c", CREATE);
        assertEquals(new Outcome(0, "CREATE TABLE\nINSERT 0 2\n", ""), created);

        // A second process-like run on the same directory sees the committed rows.
        Outcome read = shell("", db, "-c", "SELECT name FROM items WHERE id = 1");
        assertEquals(new Outcome(0, " name\n-------\n apple\n(1 row)\n\n", ""), read);

        Outcome failed = shell("", db, "-c", "SELECT * FROM nothere");
        assertEquals(1, failed.status());
        assertEquals("", failed.out());
        assertTrue(failed.err().startsWith("ERROR: ") && failed.err().endsWith(" (SQLSTATE 42P01)\n"), failed.err());
    }

    @Test
    void pipedInputIsAScriptAndInMemoryWithoutDirectory() {
        Outcome o = shell(CREATE + "SELECT qty FROM items WHERE id = 1;\n\\q\nSELECT 'not reached';\n");
        assertEquals(new Outcome(0, "CREATE TABLE\nINSERT 0 2\n qty\n-----\n   3\n(1 row)\n\n", ""), o);

        Outcome syntax = shell("SELEC 1;\nSELECT 1 AS one;\n");
        assertEquals(1, syntax.status());
        assertEquals(" one\n-----\n   1\n(1 row)\n\n", syntax.out());
        assertTrue(syntax.err().endsWith("(SQLSTATE 42601)\n"), syntax.err());
    }

    @Test
    void scriptArgumentAfterDirectory() throws Exception {
        Path script = dir.resolve("s.sql");
        Files.writeString(script, CREATE + "SELECT price FROM items WHERE id = 2");
        Outcome o = shell("", dir.resolve("db").toString(), script.toString());
        assertEquals(new Outcome(0, "CREATE TABLE\nINSERT 0 2\n price\n-------\n 12.25\n(1 row)\n\n", ""), o);
    }

    @Test
    void orderedAndAggregatedResults() {
        Outcome o = shell(CREATE + """
                SELECT id, name, price FROM items ORDER BY price DESC;
                SELECT count(*) AS n, sum(price) AS total, max(qty) AS most FROM items;
                """);
        assertEquals(new Outcome(0, """
                CREATE TABLE
                INSERT 0 2
                 id |    name    | price
                ----+------------+-------
                  2 | semi;colon | 12.25
                  1 | apple      |  1.50
                (2 rows)

                 n | total | most
                ---+-------+------
                 2 | 13.75 |    3
                (1 row)

                """, ""), o);
    }

    @Test
    void usageAndMissingFile() {
        assertEquals(2, shell("", "-x").status());
        assertEquals(2, shell("", "-c").status());
        Outcome missing = shell("", "-f", dir.resolve("none.sql").toString());
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("none.sql: No such file"), missing.err());
    }
}
