package dev.duet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.engine.Duet;
import dev.duet.rowstore.Transaction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadCommandTest {
    @TempDir
    Path dir;

    private record Outcome(int status, String out, String err) {
    }

    private static Outcome duet(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void loadsTpchIntoADirectoryThatReopensWithAllRows() throws Exception {
        Path db = dir.resolve("tpch");
        Outcome first = duet("load", "tpch", "--sf", "0.01", db.toString());
        assertEquals(0, first.status(), first.err());
        assertTrue(first.out().contains("loading TPC-H SF 0.01 into " + db), first.out());
        assertTrue(first.out().matches("(?s).*lineitem +60,175 rows.*"), first.out());
        assertTrue(first.out().contains("loaded 86,805 rows in "), first.out());

        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("region", 5L);
        expected.put("nation", 25L);
        expected.put("supplier", 100L);
        expected.put("customer", 1_500L);
        expected.put("part", 2_000L);
        expected.put("partsupp", 8_000L);
        expected.put("orders", 15_000L);
        expected.put("lineitem", 60_175L);
        try (Duet reopened = Duet.open(db); Transaction tx = reopened.begin(true)) {
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                assertEquals(e.getValue(), tx.count(e.getKey()), e.getKey());
            }
            assertEquals(8, reopened.catalog().tables().size());
            assertEquals("Clerk#000000951", tx.get("orders", 1L).get("o_clerk"));
        }

        Outcome again = duet("load", "tpch", "--sf=0.01", db.toString());
        assertEquals(1, again.status());
        assertTrue(again.err().startsWith("ERROR 42P07: relation \"region\" already exists"), again.err());
        try (Duet reopened = Duet.open(db); Transaction tx = reopened.begin(true)) {
            assertEquals(60_175L, tx.count("lineitem"));
        }
    }

    @Test
    void usageErrorsExit2AndTouchNothing() throws Exception {
        Path db = dir.resolve("untouched");
        List<List<String>> bad = List.of(
                List.of("load"),
                List.of("load", "tpch", db.toString()),
                List.of("load", "tpch", "--sf", "abc", db.toString()),
                List.of("load", "tpch", "--sf", "0", db.toString()),
                List.of("load", "tpch", "--sf", "-1", db.toString()),
                List.of("load", "tpch", "--sf", "NaN", db.toString()),
                List.of("load", "tpch", "--sf", "0.01"),
                List.of("load", "tpch", db.toString(), "--sf"),
                List.of("load", "tpcds", "--sf", "1", db.toString()),
                List.of("load", "tpch", "--sf", "1", "--batch", "5", db.toString()),
                List.of("load", "tpch", "--sf", "1", db.toString(), "extra"));
        for (List<String> args : bad) {
            Outcome o = duet(args.toArray(String[]::new));
            assertEquals(2, o.status(), args.toString());
            assertTrue(o.err().contains("usage: duet load tpch --sf SF DIR"), o.err());
        }
        assertFalse(Files.exists(db));
        Outcome help = duet("--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("duet load tpch --sf SF DIR"), help.out());
    }
}
