package dev.duet.jmh;

import dev.duet.datasets.tpch.DuckDbTpch;
import dev.duet.datasets.tpch.TpchLoader;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import dev.duet.planner.TpchQueries;
import java.math.BigDecimal;
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
import org.duckdb.DuckDBConnection;

/**
 * TPC-H at one scale factor in Duet and in DuckDB, for the benchmarks that measure the two side by
 * side on it: both are file-backed and get the same {@code TpchGenerator} rows (Duet through
 * {@link TpchLoader}, DuckDB through the datasets test-jar's {@link DuckDbTpch}, i.e. its
 * Appender). DuckDB runs with {@code threads = 2}, the machine's core count. Load times are
 * printed, since at SF 1 they dominate a trial.
 *
 * <p>{@link #shared} loads both once per JVM and scale factor for all the trials that JVM runs:
 * {@link TpchBenchmark} runs its 88 query and target pairs in one JVM (JMH without forks, see
 * {@link UnforkedRun}) rather than loading SF 1 88 times.
 */
final class TpchDatabases {
    /** Longest wait for the column store to apply a finished load before measuring. */
    private static final Duration CATCH_UP = Duration.ofMinutes(10);
    private static final String DUCKDB_FILE = "tpch.duckdb";
    private static final String DUET_DIR = "duet";

    /** The databases {@link #shared} keeps open; guarded by the class's monitor. */
    private static Shared shared;
    /** Whether the hook that closes {@link #shared} at exit is registered; guarded by the class's monitor. */
    private static boolean shutdownHook;

    private TpchDatabases() {
    }

    /** Async durability: a load's commits need not wait for the disk. */
    static DuetConfig asyncDurability() {
        return DuetConfig.defaults().withDurability(DuetConfig.Durability.ASYNC);
    }

    /**
     * Opens a new Duet database in {@code dir}, loads TPC-H at {@code sf}, waits until the column
     * store has applied the last commit and checkpoints, so that no measurement includes the
     * sync's catching up or a checkpoint of the load.
     */
    static Duet loadDuet(Path dir, double sf) {
        Duet db = Duet.open(dir, asyncDurability());
        try {
            long start = System.nanoTime();
            TpchLoader.Result r = TpchLoader.load(db, sf);
            long loaded = System.nanoTime();
            awaitColumnStore(db);
            long synced = System.nanoTime();
            // The background would checkpoint the load's tail some minutes later, in the middle of
            // the measurements (a checkpoint of SF 1 keeps one of two cores busy for half a
            // minute); checkpointing now leaves nothing for it to do while the data is unchanged.
            db.checkpoint();
            long checkpointed = System.nanoTime();
            System.out.printf(Locale.ROOT, "%nDuet: TPC-H SF %s loaded (%,d rows) in %.1f s; column store caught up %.1f s later;"
                            + " checkpoint after the load %.1f s%n",
                    sf, r.totalRows(), (loaded - start) / 1e9, (synced - loaded) / 1e9, (checkpointed - synced) / 1e9);
            return db;
        } catch (RuntimeException | Error e) {
            db.close();
            throw e;
        }
    }

    /** Waits until {@code db}'s column store has applied its last commit (fails after {@link #CATCH_UP}). */
    static void awaitColumnStore(Duet db) {
        db.columnStore().awaitWatermark(db.rowStore().lastCommitTimestamp(), CATCH_UP);
    }

    /** A new file-backed DuckDB database in {@code dir} holding TPC-H at {@code sf}. */
    static Connection loadDuckDb(Path dir, double sf) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.toAbsolutePath() + "/" + DUCKDB_FILE);
        try {
            configure(c);
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

    /** Two threads (the machine's cores); NULL ordered as in PostgreSQL and Duet (larger than every value). */
    private static void configure(Connection duckdb) throws SQLException {
        try (Statement s = duckdb.createStatement()) {
            s.execute("SET threads = 2");
            s.execute("SET default_null_order = 'nulls_last_on_asc_first_on_desc'");
        }
    }

    /**
     * TPC-H at {@code sf} loaded into both databases in this JVM, loaded by the first caller and
     * kept open for the next ones until another scale factor is asked for, {@link #closeShared} is
     * called or the JVM exits (a shutdown hook closes both and deletes their files). Reopening a
     * Duet database is no shortcut: it rebuilds the row store from the checkpoint, which takes
     * about as long as loading. Callers must not change the data.
     */
    static synchronized Shared shared(double sf) throws SQLException {
        if (shared != null && shared.sf() == sf) {
            return shared;
        }
        closeShared();
        if (!shutdownHook) {
            Runtime.getRuntime().addShutdownHook(new Thread(TpchDatabases::closeShared, "tpch-close"));
            shutdownHook = true;
        }
        Path dir = ScratchDir.create("tpch-sf" + sf);
        Duet duet = null;
        try {
            duet = loadDuet(dir.resolve(DUET_DIR), sf);
            shared = new Shared(sf, dir, duet, loadDuckDb(dir, sf));
            return shared;
        } catch (SQLException | RuntimeException | Error e) {
            if (duet != null) {
                duet.close();
            }
            ScratchDir.delete(dir);
            throw e;
        }
    }

    /** Closes the {@link #shared} databases, if any, and deletes their files. */
    static synchronized void closeShared() {
        if (shared == null) {
            return;
        }
        Shared s = shared;
        shared = null;
        try {
            try {
                s.duckdb().close();
            } finally {
                s.duet().close();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("closing DuckDB failed", e);
        } finally {
            ScratchDir.delete(s.dir());
        }
    }

    /** Both databases holding TPC-H at {@code sf}, in {@code dir}. */
    record Shared(double sf, Path dir, Duet duet, Connection duckdb) {
        /** A new connection to the DuckDB database (its settings are the database's: 2 threads). */
        Connection newDuckDbConnection() throws SQLException {
            return duckdb.unwrap(DuckDBConnection.class).duplicate();
        }
    }

    /** Query {@code n} (1 to 22) as Duet's tests run it: the io.trino.tpch text, q15's view as a WITH. */
    static String query(int n) {
        return TpchQueries.query(n);
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
