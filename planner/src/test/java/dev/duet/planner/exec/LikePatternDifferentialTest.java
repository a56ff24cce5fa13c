package dev.duet.planner.exec;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LIKE against DuckDB over strings from a small alphabet (so that patterns match often and
 * partially): every pattern shape, in particular literals between several {@code %} with
 * overlapping and repeated parts, anchored or not, long enough strings for the eight-bytes-at-a-time
 * search and short ones below it, multi-byte characters, {@code _}, escapes, NULL and the empty string.
 */
class LikePatternDifferentialTest {
    private static final String[] ALPHABET = {"a", "b", "c", "ab", "ba", "é", "日", " ", "%", "_"};
    private static DifferentialDatabase db;

    @BeforeAll
    static void load() {
        db = new DifferentialDatabase();
        db.createTable(TableDef.builder("w")
                .notNullColumn("id", DataType.INTEGER)
                .column("s", DataType.TEXT)
                .primaryKey("id").build(), "CREATE TABLE w (id INTEGER PRIMARY KEY, s VARCHAR)");
        Random random = new Random(42);
        List<Object[]> rows = new ArrayList<>();
        String[] fixed = {"", "a", "ab", "aba", "abab", "special requests", "special packages requests",
            "requests special", "xxxxxxxxxxxxxxxxspecialxxxxxxxxxxxxrequestsxx", "aaaaaaaaaaaaaaaaaaab", "%_", null};
        int id = 0;
        for (String f : fixed) {
            rows.add(new Object[] {id++, f});
        }
        for (int i = 0; i < 600; i++) {
            int length = random.nextInt(i % 3 == 0 ? 40 : 8);
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < length; j++) {
                b.append(ALPHABET[random.nextInt(ALPHABET.length)]);
            }
            rows.add(new Object[] {id++, b.toString()});
        }
        db.insert("w", rows);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void everyShapeOfPattern() {
        String[] patterns = {
            "%special%requests%", "special%requests", "%special%requests", "special%requests%",
            "%a%b%", "a%b", "ab%ba", "aba%aba", "%ab%ab%ab%", "a%a%a%a", "%b%a", "b%a%",
            "%a%", "%ab%", "a%", "%a", "%", "", "ab", "%é%日%", "é%", "%日", "%aaaaaaaaab",
            "%aaaaaaaab%", "a_b%", "%a_a%", "_%_", "%!%%", "%!_%a%", "!%!_"};
        for (String p : patterns) {
            // An explicit escape: without one, PostgreSQL (and Duet) escape with a backslash, DuckDB with nothing.
            String literal = p.replace("'", "''");
            db.check("select id from w where s like '" + literal + "' escape '!'");
            db.check("select id from w where s not like '" + literal + "' escape '!'");
        }
    }
}
