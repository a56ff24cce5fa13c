package dev.duet.jmh;

import dev.duet.datasets.tpch.DuckDbTpch;
import dev.duet.datasets.tpch.TpchLoader;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import dev.duet.planner.TpchQueries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * TPC-H at one scale factor in Duet and in DuckDB, for the benchmarks that measure the two side by
 * side on it: both are file-backed and get the same {@code TpchGenerator} rows (Duet through
 * {@link TpchLoader}, DuckDB through the datasets test-jar's {@link DuckDbTpch}, i.e. its
 * Appender). DuckDB runs with {@code threads = 2}, the machine's core count. Load times are
 * printed, since at SF 1 they dominate a trial.
 *
 * <p>{@link #cached} builds both databases once per JMH run and scale factor and lets later trials
 * (each in its own forked JVM) reopen them: a trial of {@link TpchBenchmark} only reads, and
 * reopening SF 1 is much faster than loading it again for each of the 88 query and target pairs.
 */
final class TpchDatabases {
    /** Longest wait for the column store to apply a finished load before measuring. */
    private static final Duration CATCH_UP = Duration.ofMinutes(10);
    /** System property naming the cache directory; by default one per JMH run under /tmp. */
    static final String CACHE_PROPERTY = "duet.jmh.tpchCache";
    private static final String CACHE_PREFIX = "duet-jmh-tpch-cache-";
    private static final String FORKED_MAIN = "org.openjdk.jmh.runner.ForkedMain";
    private static final String DUCKDB_FILE = "tpch.duckdb";
    private static final String DUET_DIR = "duet";

    private TpchDatabases() {
    }

    /** Async durability: a load's commits need not wait for the disk. */
    static DuetConfig asyncDurability() {
        return DuetConfig.defaults().withDurability(DuetConfig.Durability.ASYNC);
    }

    private static Duet open(Path dir) {
        return Duet.open(dir, asyncDurability());
    }

    /**
     * Opens a new Duet database in {@code dir}, loads TPC-H at {@code sf} and waits until the
     * column store has applied the last commit, so that no measurement includes the sync's
     * catching up.
     */
    static Duet loadDuet(Path dir, double sf) {
        Duet db = open(dir);
        try {
            long start = System.nanoTime();
            TpchLoader.Result r = TpchLoader.load(db, sf);
            long loaded = System.nanoTime();
            awaitColumnStore(db);
            long synced = System.nanoTime();
            System.out.printf(Locale.ROOT, "%nDuet: TPC-H SF %s loaded (%,d rows) in %.1f s; column store caught up %.1f s later%n",
                    sf, r.totalRows(), (loaded - start) / 1e9, (synced - loaded) / 1e9);
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
     * The directory holding TPC-H at {@code sf} in both databases, closed cleanly: built by the
     * first caller of this JMH run, reused by the later ones. The cache belongs to the JMH run
     * (the process that forks the benchmark JVMs, or this one when JMH does not fork), unless the
     * system property {@value #CACHE_PROPERTY} names a directory; caches of runs that have ended
     * are deleted here. Data is never reused across runs, so a changed generator or storage
     * format cannot leave stale files behind. Callers only read what they open from it.
     */
    static Path cached(double sf) throws SQLException {
        Path root = cacheRoot();
        Path done = root.resolve("sf-" + sf);
        if (Files.isDirectory(done)) {
            return done;
        }
        Path building = root.resolve("sf-" + sf + ".building-" + ProcessHandle.current().pid());
        ScratchDir.delete(building);
        try {
            Files.createDirectories(building);
            loadDuet(building.resolve(DUET_DIR), sf).close();
            loadDuckDb(building, sf).close();
            // only a complete, cleanly closed pair ever has the final name
            Files.move(building, done, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return done;
    }

    /** Reopens the Duet database of a {@link #cached} directory; its column store has applied every commit. */
    static Duet openDuet(Path cached) {
        long start = System.nanoTime();
        Duet db = open(cached.resolve(DUET_DIR));
        try {
            awaitColumnStore(db);
        } catch (RuntimeException | Error e) {
            db.close();
            throw e;
        }
        System.out.printf(Locale.ROOT, "%nDuet: reopened %s in %.1f s%n", cached, (System.nanoTime() - start) / 1e9);
        return db;
    }

    /** A read-only connection to the DuckDB database of a {@link #cached} directory. */
    static Connection openDuckDb(Path cached) throws SQLException {
        Properties p = new Properties();
        p.setProperty("duckdb.read_only", "true");
        Connection c = DriverManager.getConnection("jdbc:duckdb:" + cached.resolve(DUCKDB_FILE).toAbsolutePath(), p);
        try {
            configure(c);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Deletes the cache this process owns (a JMH host or an in-process run when it is done). */
    static void deleteOwnCache() {
        if (System.getProperty(CACHE_PROPERTY) == null) {
            ScratchDir.delete(defaultRoot(ProcessHandle.current()));
        }
    }

    private static Path cacheRoot() {
        String configured = System.getProperty(CACHE_PROPERTY);
        if (configured != null) {
            return Path.of(configured);
        }
        deleteEndedRunsCaches();
        ProcessHandle self = ProcessHandle.current();
        boolean forked = self.info().arguments().map(a -> Arrays.asList(a).contains(FORKED_MAIN)).orElse(false);
        return defaultRoot(forked ? self.parent().orElseThrow() : self);
    }

    private static Path defaultRoot(ProcessHandle owner) {
        return Path.of("/tmp", CACHE_PREFIX + owner.pid() + "-" + startMillis(owner));
    }

    private static long startMillis(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /** Deletes default-named caches whose owning process (pid and start time) no longer runs. */
    private static void deleteEndedRunsCaches() {
        try (Stream<Path> dirs = Files.list(Path.of("/tmp"))) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                String name = dir.getFileName().toString();
                if (!name.startsWith(CACHE_PREFIX)) {
                    continue;
                }
                String[] owner = name.substring(CACHE_PREFIX.length()).split("-");
                if (owner.length != 2) {
                    continue;
                }
                long pid = Long.parseLong(owner[0]);
                long started = Long.parseLong(owner[1]);
                boolean running = ProcessHandle.of(pid).map(h -> startMillis(h) == started).orElse(false);
                if (!running) {
                    ScratchDir.delete(dir);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // another run's cache we cannot read or name: leave it
            System.out.println("TPC-H cache clean-up skipped: " + e);
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
