package dev.duet.datasets.tpch;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.Catalog;
import dev.duet.core.catalog.TableDef;
import dev.duet.engine.Duet;
import dev.duet.rowstore.Appender;
import dev.duet.rowstore.Transaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Loads TPC-H at a scale factor into a Duet database through the embedded API: creates the eight
 * {@link TpchSchema} tables in one transaction, then appends the {@link TpchGenerator} rows through
 * the bulk path ({@link Duet#appender}), one commit per {@code batchRows} rows, so the loader's
 * memory stays bounded whatever the scale factor (the rows themselves live in the row store, which
 * keeps them in memory).
 *
 * <p>All or nothing, as far as a running process can make it: if any TPC-H table exists already
 * the load fails with 42P07 before changing anything; if the load fails later (an I/O error, an
 * interrupt: 57014), the tables it created are dropped again before the error is rethrown. A crash
 * of the process mid-load can leave partly filled tables behind; loading again then fails with
 * 42P07, never adds rows to them.
 */
public final class TpchLoader {
    /** Rows per transaction: large enough that commit cost is amortised, small enough to bound memory. */
    public static final int DEFAULT_BATCH_ROWS = 50_000;

    /** Told about each table once it is loaded (for progress output). */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (table, rows, elapsed) -> { };

        void tableLoaded(String table, long rows, Duration elapsed);
    }

    /**
     * What a load did: rows per table and time per table (both in load order), and the time of the
     * whole load (table creation included). The first load in a JVM also pays, in its first table's
     * time, for building the generator's 300 MiB text pool (about a second; kept for the JVM's life).
     */
    public record Result(double scaleFactor, Map<String, Long> rowCounts, Map<String, Duration> tableTimes,
            Duration elapsed) {
        public Result {
            rowCounts = Collections.unmodifiableMap(new LinkedHashMap<>(rowCounts));
            tableTimes = Collections.unmodifiableMap(new LinkedHashMap<>(tableTimes));
        }

        public long totalRows() {
            return rowCounts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private TpchLoader() {
    }

    /** Loads all eight tables at {@code scaleFactor} in batches of {@link #DEFAULT_BATCH_ROWS} rows. */
    public static Result load(Duet db, double scaleFactor) {
        return load(db, scaleFactor, DEFAULT_BATCH_ROWS, Listener.NONE);
    }

    /** How the rows go in. */
    public enum Method {
        /** The bulk path: {@link Duet#appender}, one commit per batch (the default). */
        APPENDER,
        /** {@link Transaction#insert} row by row in transactions of a batch each: the path of ordinary writes, for comparison. */
        INSERT
    }

    /** Loads all eight tables, committing every {@code batchRows} rows and telling {@code listener}. */
    public static Result load(Duet db, double scaleFactor, int batchRows, Listener listener) {
        return load(db, scaleFactor, batchRows, listener, Method.APPENDER);
    }

    /** As {@link #load(Duet, double, int, Listener)}, inserting the rows by {@code method}. */
    public static Result load(Duet db, double scaleFactor, int batchRows, Listener listener, Method method) {
        Objects.requireNonNull(db, "db is null");
        Objects.requireNonNull(method, "method is null");
        Objects.requireNonNull(listener, "listener is null");
        TpchGenerator.checkScaleFactor(scaleFactor);
        if (batchRows < 1) {
            throw DuetException.of(SqlState.INVALID_PARAMETER_VALUE, "batch size must be at least 1, not %d", batchRows);
        }
        long start = System.nanoTime();
        createTables(db);
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, Duration> times = new LinkedHashMap<>();
        try {
            for (TableDef t : TpchSchema.tables()) {
                long tableStart = System.nanoTime();
                Iterable<Object[]> source = TpchGenerator.rows(t.name(), scaleFactor);
                long rows = method == Method.APPENDER ? appendAll(db, t.name(), source, batchRows)
                        : insertAll(db, t.name(), source, batchRows);
                Duration took = Duration.ofNanos(System.nanoTime() - tableStart);
                counts.put(t.name(), rows);
                times.put(t.name(), took);
                listener.tableLoaded(t.name(), rows, took);
            }
        } catch (RuntimeException | Error e) {
            dropTables(db, e);
            throw e;
        }
        return new Result(scaleFactor, counts, times, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Creates all eight tables in one transaction; 42P07 naming every TPC-H table that exists. */
    private static void createTables(Duet db) {
        Catalog catalog = db.catalog();
        List<String> existing = new ArrayList<>();
        for (TableDef t : TpchSchema.tables()) {
            if (catalog.findTable(t.schema(), t.name()) != null) {
                existing.add(t.name());
            }
        }
        if (!existing.isEmpty()) {
            throw DuetException.of(SqlState.DUPLICATE_TABLE,
                    "relation \"%s\" already exists: cannot load TPC-H into a database that has %s %s (drop %s first)",
                    existing.get(0), existing.size() == 1 ? "table" : "tables", String.join(", ", existing),
                    existing.size() == 1 ? "it" : "them");
        }
        // Still one transaction: a table created concurrently after the check fails it as a whole.
        db.run(tx -> TpchSchema.tables().forEach(tx::createTable));
    }

    /** Inserts every row with {@link Transaction#insert}, one transaction per {@code batchRows} rows. */
    private static long insertAll(Duet db, String table, Iterable<Object[]> rows, int batchRows) {
        long count = 0;
        Transaction tx = db.begin();
        try {
            int inBatch = 0;
            for (Object[] row : rows) {
                tx.insert(table, row);
                count++;
                if (++inBatch == batchRows) {
                    tx.commit();
                    tx.close();
                    checkInterrupted();
                    tx = db.begin();
                    inBatch = 0;
                }
            }
            tx.commit();
        } finally {
            tx.close();
        }
        return count;
    }

    /** Appends every row through the bulk path ({@link Appender}), one commit per {@code batchRows} rows. */
    private static long appendAll(Duet db, String table, Iterable<Object[]> rows, int batchRows) {
        long count = 0;
        try (Appender appender = db.appender(table, batchRows)) {
            for (Object[] row : rows) {
                appender.appendRow(row);
                if (++count % batchRows == 0) {
                    checkInterrupted();
                }
            }
        }
        return count;
    }

    private static void checkInterrupted() {
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw DuetException.of(SqlState.QUERY_CANCELED, "TPC-H load interrupted");
        }
    }

    /** Undoes a failed load: drops the TPC-H tables (this load created them all). */
    private static void dropTables(Duet db, Throwable failure) {
        try {
            db.run(tx -> {
                for (TableDef t : TpchSchema.tables()) {
                    if (tx.catalog().findTable(t.schema(), t.name()) != null) {
                        tx.dropTable(t.name());
                    }
                }
            });
        } catch (RuntimeException dropFailure) {
            failure.addSuppressed(dropFailure);
        }
    }
}
