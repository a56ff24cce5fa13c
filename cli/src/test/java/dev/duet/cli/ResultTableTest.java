package dev.duet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {
    private static String print(ResultTable table) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        table.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void alignsLikePsql() {
        ResultTable t = new ResultTable(null, List.of("id", "name", "price"), new boolean[] {true, false, true});
        t.addRow("1", "ada", "100.50");
        t.addRow("12", null, "7.00");
        assertEquals("""
                 id | name | price
                ----+------+--------
                  1 | ada  | 100.50
                 12 |      |   7.00
                (2 rows)
                """, print(t));
    }

    @Test
    void centresHeadersAndTitleAndCountsOneRow() {
        ResultTable t = new ResultTable("List of relations", List.of("Schema", "Name"), new boolean[2]);
        t.addRow("public", "a_long_table_name");
        assertEquals("""
                     List of relations
                 Schema |       Name
                --------+-------------------
                 public | a_long_table_name
                (1 row)
                """, print(t));
    }

    @Test
    void emptyResultKeepsHeader() {
        ResultTable t = new ResultTable(null, List.of("x"), new boolean[] {true});
        assertEquals("""
                 x
                ---
                (0 rows)
                """, print(t));
    }

    @Test
    void rendersValuesAsPostgresPrintsThem() {
        assertEquals(null, ResultTable.render(null));
        assertEquals("t", ResultTable.render(true));
        assertEquals("f", ResultTable.render(false));
        assertEquals("10000000000", ResultTable.render(new BigDecimal("1E+10")));
        assertEquals("2024-02-29 13:45:01", ResultTable.render(Timestamp.valueOf("2024-02-29 13:45:01")));
        assertEquals("2024-02-29 13:45:00", ResultTable.render(LocalDateTime.of(2024, 2, 29, 13, 45)));
        assertEquals("2024-02-29 13:45:01.00025",
                ResultTable.render(LocalDateTime.of(2024, 2, 29, 13, 45, 1, 250_000)));
        assertEquals("\\x00ff10", ResultTable.render(new byte[] {0, -1, 16}));
        assertEquals("-3", ResultTable.render(-3L));
    }
}
