package dev.duet.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duet.core.DuetException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * An in-memory DuckDB beside a Duet {@link Session}: runs the same statement on both and compares
 * what it did (success or failure, update count) and every table's contents afterwards, as row
 * multisets, read from Duet's row store and from its column store. Values are compared by their SQL value: numbers as decimals (doubles to 12
 * significant digits, so 1e-9 relative differences are equal), dates by ISO text.
 */
final class DuckDbOracle implements AutoCloseable {
    private final Session duet;
    private final Connection duck;

    DuckDbOracle(Session duet) {
        this.duet = duet;
        try {
            duck = DriverManager.getConnection("jdbc:duckdb:");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code sql} on both; both must succeed with the same update count or both fail. Then
     * the listed tables must hold the same rows in both. Returns the Duet error, if any.
     */
    DuetException run(String sql, String... tables) {
        long duckCount;
        SQLException duckError = null;
        try (Statement s = duck.createStatement()) {
            s.execute(sql);
            duckCount = s.getUpdateCount();
        } catch (SQLException e) {
            duckError = e;
            duckCount = -2;
        }
        long duetCount;
        DuetException duetError = null;
        try (Result r = duet.execute(sql)) {
            duetCount = r.updateCount();
        } catch (DuetException e) {
            duetError = e;
            duetCount = -2;
        }
        String both = sql + "\n  duckdb: " + (duckError == null ? "ok" : duckError.getMessage())
                + "\n  duet: " + (duetError == null ? "ok" : duetError);
        assertEquals(duckError == null, duetError == null, both);
        if (duetError == null && duckCount >= 0 && !sql.trim().toUpperCase().startsWith("CREATE")) {
            assertEquals(duckCount, duetCount, "update count of " + sql);
        }
        compareTables(" after " + sql, tables);
        return duetError;
    }

    /**
     * Appends {@code rows} (Duet's canonical Java values, NULLs as null) to DuckDB's {@code table}
     * through DuckDB's Appender: the other side of a bulk-load comparison.
     */
    void appendToDuckDb(String table, List<Object[]> rows) {
        try (DuckDBAppender a = ((DuckDBConnection) duck).createAppender(DuckDBConnection.DEFAULT_SCHEMA, table)) {
            for (Object[] row : rows) {
                a.beginRow();
                for (Object v : row) {
                    if (v == null) {
                        a.appendNull();
                    } else if (v instanceof Boolean b) {
                        a.append((boolean) b);
                    } else if (v instanceof Short x) {
                        a.append((short) x);
                    } else if (v instanceof Integer x) {
                        a.append((int) x);
                    } else if (v instanceof Long x) {
                        a.append((long) x);
                    } else if (v instanceof Float x) {
                        a.append((float) x);
                    } else if (v instanceof Double x) {
                        a.append((double) x);
                    } else if (v instanceof BigDecimal x) {
                        a.append(x);
                    } else if (v instanceof String x) {
                        a.append(x);
                    } else if (v instanceof java.time.LocalDate x) {
                        a.append(x);
                    } else if (v instanceof java.time.LocalDateTime x) {
                        a.append(x);
                    } else {
                        throw new IllegalArgumentException("no DuckDB append for " + v.getClass());
                    }
                }
                a.endRow();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The listed tables hold the same rows in both, read from each of Duet's stores. */
    void checkTables(String... tables) {
        compareTables("", tables);
    }

    private void compareTables(String when, String... tables) {
        for (String t : tables) {
            List<String> expected = contents(duck, t);
            for (String route : List.of("row", "column")) { // both stores hold the same rows
                SqlTestSupport.run(duet, "SET duet.route = '" + route + "'");
                assertEquals(expected, contents(duet, t), "contents of " + t + " (" + route + " route)" + when);
            }
            SqlTestSupport.run(duet, "RESET duet.route");
        }
    }

    /** {@code query} returns the same rows (as multisets) in both. */
    void check(String query) {
        assertEquals(rows(duck, query), rows(duet, query), query);
    }

    /** The rows of a table in DuckDB, normalized and sorted. */
    private static List<String> contents(Connection c, String table) {
        return rows(c, "SELECT * FROM " + table);
    }

    private static List<String> rows(Connection c, String query) {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(normalize(rs.getObject(i)));
                }
                rows.add(String.join(" | ", row));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        rows.sort(null);
        return rows;
    }

    private static List<String> contents(Session s, String table) {
        return rows(s, "SELECT * FROM " + table);
    }

    private static List<String> rows(Session s, String query) {
        List<String> rows = new ArrayList<>();
        for (List<Object> row : SqlTestSupport.query(s, query)) {
            rows.add(String.join(" | ", row.stream().map(DuckDbOracle::normalize).toList()));
        }
        rows.sort(null);
        return rows;
    }

    static String normalize(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return Double.toString(d);
            }
            return new BigDecimal(d).round(new MathContext(12)).stripTrailingZeros().toPlainString();
        }
        if (v instanceof Number n) {
            return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime().toString();
        }
        return v.toString();
    }

    @Override
    public void close() {
        try {
            duck.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
