package dev.duet.engine.sql;

import static dev.duet.engine.sql.SqlTestSupport.assertFails;
import static dev.duet.engine.sql.SqlTestSupport.query;
import static dev.duet.engine.sql.SqlTestSupport.rows;
import static dev.duet.engine.sql.SqlTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duet.core.SqlState;
import dev.duet.engine.Duet;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Prepared statements with parameters (one plan, many executions) and queries of every operator
 * kind streamed through a session's results, compared with DuckDB in order where the query orders.
 */
class ParametersAndQueriesTest {
    private Duet db;
    private Session session;
    private Connection duck;

    @BeforeEach
    void open() throws Exception {
        db = Duet.inMemory();
        session = db.newSession();
        duck = DriverManager.getConnection("jdbc:duckdb:");
        String[] ddl = {
            "CREATE TABLE item (id INTEGER PRIMARY KEY, name VARCHAR(20), price DECIMAL(10,2), added DATE)",
            "CREATE TABLE sale (item INTEGER, qty INTEGER, region VARCHAR(10))",
        };
        for (String s : ddl) {
            run(session, s);
            try (Statement st = duck.createStatement()) {
                st.execute(s);
            }
        }
        Prepared item = session.prepare("INSERT INTO item VALUES (?, ?, ?, ?)");
        Prepared sale = session.prepare("INSERT INTO sale VALUES ($1, $2, $3)");
        try (var di = duck.prepareStatement("INSERT INTO item VALUES (?, ?, ?, ?)");
                var ds = duck.prepareStatement("INSERT INTO sale VALUES (?, ?, ?)")) {
            for (int i = 0; i < 200; i++) {
                List<Object> row = Arrays.asList(i, i % 7 == 0 ? null : "item" + i,
                        i % 11 == 0 ? null : new BigDecimal(i).movePointLeft(1),
                        LocalDate.of(2024, 1, 1).plusDays(i));
                try (Result r = session.execute(item, row)) {
                    assertEquals(1, r.updateCount());
                }
                for (int c = 0; c < 4; c++) {
                    di.setObject(c + 1, row.get(c));
                }
                di.executeUpdate();
            }
            for (int i = 0; i < 1000; i++) {
                List<Object> row = Arrays.asList(i % 250, i % 13 == 0 ? null : i % 9, i % 3 == 0 ? "north" : "south");
                session.execute(sale, row).close();
                for (int c = 0; c < 3; c++) {
                    ds.setObject(c + 1, row.get(c));
                }
                ds.executeUpdate();
            }
        }
    }

    @AfterEach
    void close() throws Exception {
        duck.close();
        session.close();
        assertEquals(0, db.allocator().getAllocatedMemory(), "Arrow memory left allocated");
        db.close();
    }

    private List<String> duet(String sql) {
        return query(session, sql).stream().map(r -> String.join(" | ", r.stream().map(DuckDbOracle::normalize).toList())).toList();
    }

    private List<String> duck(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(DuckDbOracle.normalize(rs.getObject(i)));
                }
                out.add(String.join(" | ", row));
            }
        }
        return out;
    }

    @Test
    void orderedQueriesMatchDuckDb() throws Exception {
        String[] queries = {
            "SELECT id, name, price FROM item WHERE price > 5 ORDER BY price DESC, id",
            "SELECT region, count(*), sum(qty), min(qty), max(qty) FROM sale GROUP BY region ORDER BY region",
            "SELECT i.name, sum(s.qty) AS total FROM sale s JOIN item i ON s.item = i.id"
                    + " GROUP BY i.name ORDER BY total DESC NULLS LAST, i.name NULLS FIRST LIMIT 15",
            "SELECT i.id, s.qty FROM item i LEFT JOIN sale s ON s.item = i.id WHERE i.id > 190 ORDER BY i.id, s.qty NULLS FIRST",
            "SELECT item FROM sale WHERE qty = 3 UNION SELECT id FROM item WHERE id < 5 ORDER BY 1",
            "SELECT count(*) FROM item a, item b WHERE a.id < b.id",
            "SELECT added, price FROM item ORDER BY added DESC LIMIT 3 OFFSET 2",
        };
        for (String q : queries) {
            assertEquals(duck(q), duet(q), q);
        }
    }

    @Test
    void preparedQueryRunsManyTimesWithOnePlan() throws Exception {
        Prepared p = session.prepare("SELECT count(*), sum(qty) FROM sale WHERE region = ? AND qty >= ?");
        assertEquals(2, p.parameterTypes().size());
        for (int min = 0; min < 10; min += 3) {
            for (String region : List.of("north", "south")) {
                List<List<Object>> got = rows(session.execute(p, List.of(region, min)));
                String q = "SELECT count(*), sum(qty) FROM sale WHERE region = '" + region + "' AND qty >= " + min;
                assertEquals(duck(q), got.stream().map(r -> String.join(" | ",
                        r.stream().map(DuckDbOracle::normalize).toList())).toList(), q);
            }
        }
        assertFails(SqlState.WRONG_PARAMETER_COUNT, () -> session.execute(p, List.of("north")));
    }

    @Test
    void preparedUpdateAndDelete() throws Exception {
        Prepared update = session.prepare("UPDATE item SET price = price + ? WHERE id = ?");
        Prepared delete = session.prepare("DELETE FROM sale WHERE item = ? AND region = ?");
        long updated = 0;
        long deleted = 0;
        for (int i = 0; i < 50; i++) {
            try (Result r = session.execute(update, List.of(new BigDecimal("1.25"), i * 3))) {
                updated += r.updateCount();
            }
            try (Result r = session.execute(delete, List.of(i * 5, "north"))) {
                deleted += r.updateCount();
            }
            try (Statement s = duck.createStatement()) {
                s.executeUpdate("UPDATE item SET price = price + 1.25 WHERE id = " + (i * 3));
                s.executeUpdate("DELETE FROM sale WHERE item = " + (i * 5) + " AND region = 'north'");
            }
        }
        assertEquals(50, updated);
        assertEquals(duck("SELECT count(*) FROM sale").get(0), String.valueOf(1000 - deleted));
        assertEquals(duck("SELECT * FROM item ORDER BY id"), duet("SELECT * FROM item ORDER BY id"));
        assertEquals(duck("SELECT * FROM sale ORDER BY item, qty, region"), duet("SELECT * FROM sale ORDER BY item, qty, region"));
    }

    @Test
    void insertSelectWithJoinAndAggregate() throws Exception {
        String ddl = "CREATE TABLE total (name VARCHAR(20), qty BIGINT)";
        String insert = "INSERT INTO total SELECT i.name, sum(s.qty) FROM sale s JOIN item i ON s.item = i.id GROUP BY i.name";
        for (String s : List.of(ddl, insert)) {
            run(session, s);
            try (Statement st = duck.createStatement()) {
                st.execute(s);
            }
        }
        String q = "SELECT * FROM total ORDER BY name NULLS FIRST";
        assertEquals(duck(q), duet(q));
        String ctas = "CREATE TABLE by_region AS SELECT region, count(*) AS n FROM sale GROUP BY region";
        run(session, ctas);
        try (Statement st = duck.createStatement()) {
            st.execute(ctas);
        }
        assertEquals(duck("SELECT * FROM by_region ORDER BY region"), duet("SELECT * FROM by_region ORDER BY region"));
    }
}
