package dev.duet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoShellTest {
    @TempDir
    Path dir;

    private String run(String script, int expectedStatus) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (DemoShell shell = DemoShell.open(dir, out, false)) {
            assertEquals(expectedStatus, shell.run(new BufferedReader(new StringReader(script))));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void scriptedSessionPersists() throws Exception {
        String first = run("""
                create accounts id:bigint owner:text! balance:decimal(12,2) pk=id
                insert accounts 1 'Ada Lovelace' 100.5
                insert accounts 2 bob NULL
                begin
                update accounts 1 set balance=90
                delete accounts 2
                commit
                get accounts 1
                """, 0);
        assertTrue(first.contains("Ada Lovelace | 90.00"), first);
        String second = run("scan accounts\nget accounts 2\n", 0);
        assertTrue(second.contains("(1 row)"), second);
        assertTrue(second.contains("(no row)"), second);
    }

    @Test
    void errorsShowSqlStateAndFailTheScript() throws Exception {
        String out = run("""
                create t id:int pk=id
                insert t 1
                insert t 1
                insert t abc
                """, 1);
        assertTrue(out.contains("ERROR 23505"), out);
        assertTrue(out.contains("ERROR 22P02"), out);
    }

    @Test
    void tokenizerHandlesQuotes() {
        assertEquals(List.of("insert", "t", "it's here", ""), DemoShell.tokenize("insert t 'it''s here' ''"));
    }
}
