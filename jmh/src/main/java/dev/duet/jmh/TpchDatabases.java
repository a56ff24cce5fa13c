package dev.duet.jmh;

import dev.duet.datasets.tpch.DuckDbTpch;
import dev.duet.datasets.tpch.TpchLoader;
import dev.duet.datasets.tpch.TpchSchema;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * TPC-H at one scale factor in Duet and in DuckDB, for the benchmarks that measure the two side by
 * side on it: both are file-backed in a directory of the caller's and get the same
 * {@code TpchGenerator} rows (Duet through {@link TpchLoader}, DuckDB through the datasets
 * test-jar's {@link DuckDbTpch}). DuckDB runs with {@code threads = 2}, the machine's core count.
 * Load times are printed, since at SF 1 they dominate a trial.
 */
final class TpchDatabases {
    /** Longest wait for the column store to apply a finished load before measuring. */
    private static final Duration CATCH_UP = Duration.ofMinutes(10);

    private TpchDatabases() {
    }

    /**
     * Opens a new Duet database in {@code dir} (async durability: the load's commits need not wait
     * for the disk), loads TPC-H at {@code sf} and waits until the column store has applied the
     * last commit, so that no measurement includes the sync's catching up.
     */
    static Duet loadDuet(Path dir, double sf) {
        Duet db = Duet.open(dir, DuetConfig.defaults().withDurability(DuetConfig.Durability.ASYNC));
        try {
            long start = System.nanoTime();
            TpchLoader.Result r = TpchLoader.load(db, sf);
            long loaded = System.nanoTime();
            db.columnStore().awaitWatermark(db.rowStore().lastCommitTimestamp(), CATCH_UP);
            long synced = System.nanoTime();
            System.out.printf(Locale.ROOT, "%nDuet: TPC-H SF %s loaded (%,d rows) in %.1f s; column store caught up %.1f s later%n",
                    sf, r.totalRows(), (loaded - start) / 1e9, (synced - loaded) / 1e9);
            return db;
        } catch (RuntimeException | Error e) {
            db.close();
            throw e;
        }
    }

    /** A new file-backed DuckDB database in {@code dir} holding TPC-H at {@code sf}. */
    static Connection loadDuckDb(Path dir, double sf) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.toAbsolutePath() + "/tpch.duckdb");
        try {
            try (Statement s = c.createStatement()) {
                s.execute("SET threads = 2");
            }
            long start = System.nanoTime();
            long rows = DuckDbTpch.load(c, sf).values().stream().mapToLong(Long::longValue).sum();
            System.out.printf(Locale.ROOT, "%nDuckDB: TPC-H SF %s loaded (%,d rows) in %.1f s%n", sf, rows,
                    (System.nanoTime() - start) / 1e9);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Query {@code n} as io.trino.tpch ships it (the text the planner's tests use; q1 to q14, q16 to q22 as is). */
    static String query(int n) {
        String path = "/io/trino/tpch/queries/q" + n + ".sql";
        try (InputStream in = TpchSchema.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All rows of a prepared query, each value as the driver's {@code getObject} returns it. */
    static List<Object[]> rows(PreparedStatement query) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int i = 0; i < n; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                out.add(row);
            }
        }
        return out;
    }

    /**
     * Fails unless {@code actual} has {@code expected}'s rows in the same order: numbers equal
     * within 1e-9 relative (DuckDB's AVG is a double where Duet's is a decimal), anything else by
     * its text. Guards a benchmark against a wrong answer that merely looks fast.
     */
    static void checkSame(String what, List<Object[]> expected, List<Object[]> actual) {
        if (expected.isEmpty()) {
            throw new IllegalStateException(what + ": the reference returned no rows; the check would be empty");
        }
        if (expected.size() != actual.size()) {
            throw new IllegalStateException(what + ": " + actual.size() + " rows, DuckDB " + expected.size());
        }
        for (int r = 0; r < expected.size(); r++) {
            Object[] e = expected.get(r);
            Object[] a = actual.get(r);
            boolean same = e.length == a.length;
            for (int c = 0; same && c < e.length; c++) {
                same = sameValue(e[c], a[c]);
            }
            if (!same) {
                throw new IllegalStateException(what + " row " + r + ": " + Arrays.toString(a)
                        + ", DuckDB " + Arrays.toString(e));
            }
        }
    }

    private static boolean sameValue(Object e, Object a) {
        if (e == null || a == null) {
            return e == a;
        }
        if (e instanceof Number && a instanceof Number) {
            double x = new BigDecimal(e.toString()).doubleValue();
            double y = new BigDecimal(a.toString()).doubleValue();
            return x == y || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
        }
        return e.toString().equals(a.toString());
    }
}
