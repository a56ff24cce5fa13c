package dev.duet.planner.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.planner.PlannedDml;
import dev.duet.rowstore.Transaction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Strings outside Latin-1 (accented letters, CJK, symbols, emoji outside the BMP) as literals and
 * as data, against DuckDB: constants, comparisons, LIKE, string functions, ordering, grouping,
 * and a round trip through INSERT (planned and run through the physical planner, written to the
 * row store, read back).
 */
class UnicodeDifferentialTest {
    private static final String[] WORDS = {"Zürich", "zurich", "ünïcødé ✓ 日本", "日本語", "😀 smile", "naïve", "Ωmega",
        "plain", "", "a😀b"};

    private static DifferentialDatabase db;

    @BeforeAll
    static void load() {
        db = new DifferentialDatabase();
        db.createTable(TableDef.builder("u")
                .notNullColumn("id", DataType.INTEGER)
                .column("s", DataType.TEXT)
                .column("c", DataType.varchar(8))
                .primaryKey("id").build(), "CREATE TABLE u (id INTEGER PRIMARY KEY, s VARCHAR, c VARCHAR(8))");
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < WORDS.length; i++) {
            String c = WORDS[i].codePointCount(0, WORDS[i].length()) <= 8 ? WORDS[i] : null;
            rows.add(new Object[] {i, WORDS[i], c});
        }
        rows.add(new Object[] {WORDS.length, null, null});
        db.insert("u", rows);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void literals() {
        db.check("select 'ünïcødé ✓ 日本', '😀', 'Zürich' || ' ✓', '日本' = '日本', 'é' < 'ê'");
        db.check("select length('日本😀'), upper('ünï'), lower('ÜNÏ ΩMEGA'), substring('a😀bc日本' from 2 for 3)");
        db.check("select cast('日本語テキスト' as varchar(3)), cast('😀😀😀😀' as varchar(3))", "select '日本語', '😀😀😀'");
        db.check("select id, cast(s as varchar(2)) from u", "select id, substring(s, 1, 2) from u");
    }

    @Test
    void comparisonsAndPatterns() {
        db.check("select id, s from u where s = 'Zürich'");
        db.check("select id, s from u where s <> 'ünïcødé ✓ 日本' and c is not null");
        db.check("select id, s from u where s in ('日本語', '😀 smile', 'plain')");
        db.check("select id, s from u where s like '%ü%' or s like '日%' or s like '%😀%'");
        db.check("select id, s from u where s > 'zurich'");
        db.check("select id, c from u where c = '日本語'");
    }

    @Test
    void functionsOrderingGrouping() {
        db.check("select id, length(s), upper(s), lower(s), s || '✓', substring(s from 2 for 2), position('本' in s) "
                + "from u");
        db.checkOrdered("select id, s from u order by s, id");
        db.checkOrdered("select s from u order by s desc nulls last limit 4");
        db.check("select c, count(*) from u group by c");
        db.check("select min(s), max(s), count(distinct s) from u");
    }

    @Test
    void insertRoundTrip() {
        String insert = "insert into u (id, s, c) values (100, 'Grüße aus Zürich ✓', 'Grüße'), (101, '日本😀', '😀😀'), "
                + "(102, upper('ünï'), 'x' || '✓')";
        try (Transaction tx = db.store().begin()) {
            PlannedDml dml = (PlannedDml) db.frontEnd().planSingle(insert, tx.catalog());
            for (Object[] row : db.run(dml.modify().getInput(), tx)) {
                tx.insert("u", row);
            }
            tx.commit();
        }
        db.duckUpdate(insert);
        db.check("select id, s, c, length(s), length(c) from u where id >= 100");
        db.check("select id from u where s = '日本😀' or c = 'Grüße'");
        assertEquals(3, db.duet("select id from u where id >= 100").size());
    }
}
