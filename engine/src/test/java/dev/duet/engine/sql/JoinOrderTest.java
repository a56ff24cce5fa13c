package dev.duet.engine.sql;

import static dev.duet.engine.sql.SqlTestSupport.query;
import static dev.duet.engine.sql.SqlTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.engine.Duet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The planner sees each table's size from the row store: a hash join builds on (takes as its
 * right input) the smaller input whichever way the query names the tables, semi joins filter a
 * table before the joins that multiply its rows, and the answers stay the same.
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

    /**
     * TPC-H q3's shape: a filtered fact table joined to the join of two filtered dimensions. The
     * join of the dimensions keeps one fact row per matching key (its keys are unique), so it is
     * estimated far smaller than the facts and is what the top join builds on.
     */
    @Test
    void joinOfKeyedDimensionsIsBuiltNotTheFacts() {
        try (Duet db = Duet.inMemory(); Session s = db.newSession()) {
            run(s, "CREATE TABLE cust (ck INT PRIMARY KEY, seg VARCHAR(10))");
            run(s, "CREATE TABLE ord (ok INT PRIMARY KEY, ck INT, day INT)");
            run(s, "CREATE TABLE item (ok INT, line INT, price INT, day INT, PRIMARY KEY (ok, line))");
            insert(s, "cust", 200, i -> i + ", '" + (i % 5 == 0 ? "building" : "other") + "'");
            insert(s, "ord", 2_000, i -> i + ", " + i % 200 + ", " + i % 100);
            insert(s, "item", 8_000, i -> i / 4 + ", " + i % 4 + ", " + i % 97 + ", " + i % 100);
            String sql = "SELECT item.ok, sum(price) FROM cust, ord, item WHERE seg = 'building' AND cust.ck = ord.ck "
                    + "AND item.ok = ord.ok AND ord.day < 50 AND item.day > 50 GROUP BY item.ok";
            String plan = text(query(s, "EXPLAIN " + sql));
            java.util.regex.Matcher build = java.util.regex.Pattern.compile("build rows ~(\\d+)").matcher(plan);
            int joins = 0;
            while (build.find()) {
                joins++;
                assertTrue(Long.parseLong(build.group(1)) < 1_000, "a join builds on the facts:\n" + plan);
            }
            assertEquals(2, joins, plan);
            // the same rows whichever way the FROM list names the tables
            List<List<Object>> rows = query(s, sql + " ORDER BY 1");
            assertFalse(rows.isEmpty(), sql);
            assertEquals(rows, query(s, sql.replace("cust, ord, item", "item, ord, cust") + " ORDER BY 1"));
        }
    }

    /**
     * TPC-H q18's shape: {@code ord.ok IN (...)} reduces the orders before they are joined to the
     * line items, which would multiply the rows the semi join reads by four.
     */
    @Test
    void semiJoinFiltersTheTableBeforeItsJoin() {
        try (Duet db = Duet.inMemory(); Session s = db.newSession()) {
            run(s, "CREATE TABLE ord (ok INT PRIMARY KEY, ck INT, day INT)");
            run(s, "CREATE TABLE item (ok INT, line INT, price INT, day INT, PRIMARY KEY (ok, line))");
            insert(s, "ord", 2_000, i -> i + ", " + i % 200 + ", " + i % 100);
            insert(s, "item", 8_000, i -> i / 4 + ", " + i % 4 + ", " + i % 97 + ", " + i % 100);
            String sql = "SELECT ord.ok, sum(item.price) FROM ord, item WHERE ord.ok = item.ok AND ord.ok IN "
                    + "(SELECT ok FROM item GROUP BY ok HAVING sum(price) > 300) GROUP BY ord.ok";
            List<String> plan = query(s, "EXPLAIN " + sql).stream().map(r -> (String) r.get(0)).toList();
            int inner = depthOf(plan, "HashJoin(INNER");
            int semi = Math.max(depthOf(plan, "HashJoin(SEMI"), depthOf(plan, "HashJoin(RIGHT_SEMI"));
            assertTrue(inner >= 0 && semi > inner, "the semi join is not below the inner join:\n" + String.join("\n", plan));
            List<List<Object>> rows = query(s, sql + " ORDER BY 1");
            assertFalse(rows.isEmpty(), sql);
            assertEquals(rows, query(s, "SELECT ok, sum(price) FROM item GROUP BY ok HAVING sum(price) > 300 ORDER BY 1"));
        }
    }

    /**
     * TPC-H q18's other join: every order meets its one customer (a key unique in the customers),
     * so the join has as many rows as the orders; the semi join still goes below it, to the
     * orders, and only the few orders it keeps meet the customers.
     */
    @Test
    void semiJoinGoesBelowAJoinThatKeepsItsRows() {
        try (Duet db = Duet.inMemory(); Session s = db.newSession()) {
            run(s, "CREATE TABLE cust (ck INT PRIMARY KEY, name VARCHAR(20))");
            run(s, "CREATE TABLE ord (ok INT PRIMARY KEY, ck INT, day INT)");
            run(s, "CREATE TABLE item (ok INT, line INT, price INT, PRIMARY KEY (ok, line))");
            insert(s, "cust", 200, i -> i + ", 'customer " + i + "'");
            insert(s, "ord", 2_000, i -> i + ", " + i % 200 + ", " + i % 100);
            insert(s, "item", 8_000, i -> i / 4 + ", " + i % 4 + ", " + (i * 31) % 97);
            String sql = "SELECT name, ord.ok FROM cust, ord WHERE cust.ck = ord.ck AND ord.ok IN "
                    + "(SELECT ok FROM item GROUP BY ok HAVING sum(price) > 250)";
            List<String> plan = query(s, "EXPLAIN " + sql).stream().map(r -> (String) r.get(0)).toList();
            int inner = depthOf(plan, "HashJoin(INNER");
            int semi = Math.max(depthOf(plan, "HashJoin(SEMI"), depthOf(plan, "HashJoin(RIGHT_SEMI"));
            assertTrue(inner >= 0 && semi > inner, "the semi join is not below the inner join:\n" + String.join("\n", plan));
            List<List<Object>> expected = new java.util.ArrayList<>();
            for (int ok = 0; ok < 2_000; ok++) {
                int sum = 0;
                for (int i = 4 * ok; i < 4 * ok + 4; i++) {
                    sum += (i * 31) % 97;
                }
                if (sum > 250) {
                    expected.add(List.of("customer " + ok % 200, ok));
                }
            }
            assertFalse(expected.isEmpty(), sql);
            assertEquals(expected, query(s, sql + " ORDER BY 2"));
        }
    }

    /**
     * TPC-H q21's shape: the facts join a dimension filtered to one of 25 names (through a second
     * dimension) and another filtered to one of 3 statuses. Distinct counts of the small tables'
     * columns make the first keep 1 row in 25 (not Calcite's 15%), so the facts meet it first.
     */
    @Test
    void equalityKeepsOneRowPerDistinctValue() {
        try (Duet db = Duet.inMemory(); Session s = db.newSession()) {
            run(s, "CREATE TABLE nat (nk INT PRIMARY KEY, name VARCHAR(10))");
            run(s, "CREATE TABLE sup (sk INT PRIMARY KEY, nk INT)");
            run(s, "CREATE TABLE ord (ok INT PRIMARY KEY, status VARCHAR(1))");
            run(s, "CREATE TABLE item (ok INT, line INT, sk INT, PRIMARY KEY (ok, line))");
            insert(s, "nat", 25, i -> i + ", 'n" + i + "'");
            insert(s, "sup", 1_000, i -> i + ", " + i % 25);
            insert(s, "ord", 2_000, i -> i + ", '" + "FOP".charAt(i % 3) + "'");
            insert(s, "item", 8_000, i -> i / 4 + ", " + i % 4 + ", " + (i * 7) % 1_000);
            String sql = "SELECT count(*) FROM item, ord, sup, nat WHERE item.ok = ord.ok AND item.sk = sup.sk "
                    + "AND sup.nk = nat.nk AND nat.name = 'n3' AND ord.status = 'F'";
            List<String> plan = query(s, "EXPLAIN " + sql).stream().map(r -> (String) r.get(0)).toList();
            String text = String.join("\n", plan);
            // 1,000 suppliers of 1 nation in 25: 40, where a 15% guess for the nation gave 150
            assertTrue(text.contains("build rows ~40"), text);
            assertTrue(depthOf(plan, "build rows ~40") > depthOf(plan, "build rows ~667"),
                    "the facts meet the orders before the one nation's suppliers:\n" + text);
            long expected = 0;
            for (int i = 0; i < 8_000; i++) {
                int sk = (i * 7) % 1_000;
                expected += sk % 25 == 3 && (i / 4) % 3 == 0 ? 1 : 0;
            }
            assertEquals(List.of(List.of(expected)), query(s, sql));
        }
    }

    /** The indentation of the first line of {@code plan} containing {@code node}, -1 if none. */
    private static int depthOf(List<String> plan, String node) {
        for (String line : plan) {
            int at = line.indexOf(node);
            if (at >= 0) {
                return at;
            }
        }
        return -1;
    }

    /** Inserts rows {@code 0..n-1} of {@code table}, row i's values from {@code values}. */
    private static void insert(Session s, String table, int n, java.util.function.IntFunction<String> values) {
        for (int from = 0; from < n; from += 500) {
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" VALUES ");
            for (int i = from; i < Math.min(n, from + 500); i++) {
                sql.append(i == from ? "(" : ", (").append(values.apply(i)).append(')');
            }
            run(s, sql.toString());
        }
    }

    private static String text(List<List<Object>> rows) {
        StringBuilder sb = new StringBuilder();
        rows.forEach(r -> sb.append(r.get(0)).append('\n'));
        return sb.toString();
    }
}
