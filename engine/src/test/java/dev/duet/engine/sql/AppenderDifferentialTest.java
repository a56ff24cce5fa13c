package dev.duet.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duet.core.SqlState;
import dev.duet.engine.Duet;
import dev.duet.rowstore.Appender;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bulk load path against DuckDB: the same rows (every type, NULLs in every nullable column)
 * loaded through Duet's {@link Appender} and through DuckDB's Appender read back the same from
 * Duet's row store and its column store (which receives each flush as one INSERT_RUN record), and
 * scans, aggregates and a grouping agree. Rows are appended in several flushes, typed and whole,
 * in and out of key order.
 */
class AppenderDifferentialTest {
    private static final String DDL = "CREATE TABLE t (id BIGINT PRIMARY KEY, b BOOLEAN, s SMALLINT, i INTEGER, r REAL,"
            + " d DOUBLE, m DECIMAL(12,2), w DECIMAL(30,4), v VARCHAR(12), day DATE, ts TIMESTAMP)";
    private Duet db;
    private Session session;
    private DuckDbOracle oracle;

    @BeforeEach
    void open() {
        db = Duet.inMemory();
        session = db.newSession();
        oracle = new DuckDbOracle(session);
    }

    @AfterEach
    void close() {
        oracle.close();
        session.close();
        assertEquals(0, db.allocator().getAllocatedMemory(), "Arrow memory left allocated");
        db.close();
    }

    private static Object[] row(long id, Random random) {
        boolean nulls = random.nextInt(6) == 0;
        return new Object[] {
            id,
            nulls ? null : random.nextBoolean(),
            nulls ? null : (short) (random.nextInt(2000) - 1000),
            nulls ? null : random.nextInt(),
            nulls ? null : random.nextFloat() * 100,
            nulls ? null : random.nextGaussian() * 1e6,
            nulls ? null : BigDecimal.valueOf(random.nextInt(2_000_000) - 1_000_000, 2),
            nulls ? null : new BigDecimal(random.nextLong() + "" + random.nextInt(1000)).movePointLeft(4),
            nulls ? null : "v" + random.nextInt(50) + (random.nextInt(9) == 0 ? "ü€" : ""),
            nulls ? null : LocalDate.of(1992, 1, 1).plusDays(random.nextInt(2500)),
            nulls ? null : LocalDateTime.of(1999, 12, 31, 23, 59).plusNanos(random.nextInt(1 << 30) * 1000L),
        };
    }

    @Test
    void loadedRowsEqualDuckDbs() {
        oracle.run(DDL, "t");
        Random random = new Random(5);
        List<Object[]> rows = new ArrayList<>();
        for (long id = 1; id <= 6_000; id++) {
            rows.add(row(id % 2 == 0 ? id : 20_000 - id, random)); // keys out of order
        }
        try (Appender a = db.appender("t", 2_500)) {
            for (int n = 0; n < rows.size(); n++) {
                Object[] r = rows.get(n);
                if (n % 3 == 0) {
                    a.appendRow(r);
                    continue;
                }
                a.appendLong((Long) r[0]);
                for (int c = 1; c < r.length; c++) {
                    if (r[c] == null) {
                        a.appendNull();
                    } else if (r[c] instanceof Integer x) {
                        a.appendInt(x);
                    } else if (r[c] instanceof Double x) {
                        a.appendDouble(x);
                    } else if (r[c] instanceof BigDecimal x) {
                        a.appendDecimal(x);
                    } else if (r[c] instanceof String x) {
                        a.appendString(x);
                    } else if (r[c] instanceof LocalDate x) {
                        a.appendDate(x);
                    } else if (r[c] instanceof LocalDateTime x) {
                        a.appendTimestamp(x);
                    } else {
                        a.appendValue(r[c]);
                    }
                }
                a.endRow();
            }
        }
        oracle.appendToDuckDb("t", rows);
        oracle.checkTables("t");
        for (String route : List.of("row", "column")) {
            SqlTestSupport.run(session, "SET duet.route = '" + route + "'");
            oracle.check("SELECT count(*), count(b), sum(s), sum(i), sum(m), sum(w), min(v), max(v), min(day), max(ts) FROM t");
            oracle.check("SELECT v, count(*), sum(m), avg(d), max(w) FROM t GROUP BY v");
            oracle.check("SELECT id, m, ts FROM t WHERE id BETWEEN 100 AND 400");
        }
        SqlTestSupport.run(session, "RESET duet.route");
    }

    @Test
    void failedFlushAddsNothingInEitherStore() {
        oracle.run(DDL, "t");
        Random random = new Random(9);
        List<Object[]> kept = new ArrayList<>();
        try (Appender a = db.appender("t", 1_000_000)) {
            for (long id = 1; id <= 300; id++) {
                kept.add(row(id, random));
                a.appendRow(kept.get(kept.size() - 1));
            }
            a.flush();
            for (long id = 301; id <= 400; id++) {
                a.appendRow(row(id, random));
            }
            a.appendRow(row(42, random)); // a key of the first chunk
            SqlTestSupport.assertFails(SqlState.UNIQUE_VIOLATION, a::flush);
            kept.add(row(1000, random));
            a.appendRow(kept.get(kept.size() - 1));
        }
        oracle.appendToDuckDb("t", kept);
        oracle.checkTables("t");
        // the rows stay writable by ordinary statements, in both stores
        oracle.run("UPDATE t SET v = 'changed' WHERE id < 10", "t");
        oracle.run("DELETE FROM t WHERE id > 250", "t");
    }
}
