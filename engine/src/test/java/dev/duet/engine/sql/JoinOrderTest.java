package dev.duet.engine.sql;

import static dev.duet.engine.sql.SqlTestSupport.query;
import static dev.duet.engine.sql.SqlTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.engine.Duet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The planner sees each table's size from the row store: a hash join builds on (takes as its
 * right input) the smaller table whichever way the query names them, and keeps its answer.
 */
class JoinOrderTest {
    @Test
    void hashJoinBuildsOnTheSmallerTable() {
        try (Duet db = Duet.inMemory(); Session s = db.newSession()) {
            run(s, "CREATE TABLE big (id BIGINT PRIMARY KEY, k INT)");
            run(s, "CREATE TABLE small (id INT PRIMARY KEY, name VARCHAR(10))");
            for (int chunk = 0; chunk < 20; chunk++) {
                StringBuilder insert = new StringBuilder("INSERT INTO big VALUES ");
                for (int i = 0; i < 100; i++) {
                    long id = chunk * 100L + i;
                    insert.append(i == 0 ? "" : ", ").append('(').append(id).append(", ").append(id % 7).append(')');
                }
                run(s, insert.toString());
            }
            run(s, "INSERT INTO small VALUES (1, 'one'), (2, 'two'), (3, 'three')");
            for (String sql : List.of(
                    "SELECT count(*) FROM big JOIN small ON big.k = small.id",
                    "SELECT count(*) FROM small JOIN big ON big.k = small.id")) {
                String plan = text(query(s, "EXPLAIN " + sql));
                int join = plan.indexOf("HashJoin(");
                assertTrue(join >= 0, plan);
                // The build (right) input is the join's second child: the scan printed last.
                int bigScan = plan.lastIndexOf("big");
                int smallScan = plan.lastIndexOf("small");
                assertTrue(smallScan > bigScan, "builds on big:\n" + plan);
                assertTrue(plan.contains("build rows ~3"), plan);
                // 2,000 rows with k in 0..6: 1, 2 and 3 occur 286 times each.
                assertEquals(List.of(List.of(858L)), query(s, sql), sql);
            }
        }
    }

    private static String text(List<List<Object>> rows) {
        StringBuilder sb = new StringBuilder();
        rows.forEach(r -> sb.append(r.get(0)).append('\n'));
        return sb.toString();
    }
}
