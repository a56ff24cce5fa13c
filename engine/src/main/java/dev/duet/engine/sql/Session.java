package dev.duet.engine.sql;

import dev.duet.columnstore.parquet.ParquetWriteOptions;
import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.Catalog;
import dev.duet.core.catalog.IndexDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.exec.QueryProfile;
import dev.duet.core.types.DataType;
import dev.duet.core.types.TextValues;
import dev.duet.core.types.Values;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetMetrics;
import dev.duet.planner.CopyStatement;
import dev.duet.planner.OutputColumn;
import dev.duet.planner.PlannedDml;
import dev.duet.planner.PlannedExplain;
import dev.duet.planner.PlannedQuery;
import dev.duet.planner.PlannedStatement;
import dev.duet.planner.UtilityStatement;
import dev.duet.planner.ddl.CreateIndex;
import dev.duet.planner.ddl.CreateTable;
import dev.duet.planner.ddl.CreateView;
import dev.duet.planner.ddl.DdlStatement;
import dev.duet.planner.ddl.DropIndex;
import dev.duet.planner.ddl.DropTable;
import dev.duet.planner.ddl.DropView;
import dev.duet.planner.ddl.QualifiedName;
import dev.duet.planner.exec.plan.PlanNode;
import dev.duet.planner.exec.plan.ProfiledPlan;
import dev.duet.planner.exec.plan.TableScanNode;
import dev.duet.planner.exec.route.RouteMode;
import dev.duet.planner.exec.parallel.GatherNode;
import dev.duet.planner.exec.parallel.Parallelism;
import dev.duet.planner.exec.parallel.Parallelizer;
import dev.duet.planner.exec.route.ScanRouting;
import dev.duet.planner.parse.ParsedStatement;
import dev.duet.rowstore.Appender;
import dev.duet.rowstore.RowStore;
import dev.duet.rowstore.Transaction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSetOption;
import org.apache.calcite.sql.babel.postgres.SqlCommit;
import org.apache.calcite.sql.babel.postgres.SqlRollback;
import org.apache.calcite.sql.babel.postgres.SqlShow;

/**
 * One client session (a JDBC connection): runs SQL statements with PostgreSQL's transaction
 * semantics. Used by one thread at a time; {@link #cancel()} may come from any thread.
 *
 * <p>Transactions: in auto-commit mode (the default) each statement runs in a transaction of its
 * own (a query in a read-only snapshot that ends with its result), unless {@code BEGIN} opened an
 * explicit one. With auto-commit off (JDBC), the first statement opens a transaction that lasts
 * until {@link #commit()} or {@link #rollback()}. A statement is atomic: when it fails, none of its
 * writes remain (a savepoint is taken before each statement of an explicit transaction). As in
 * PostgreSQL, a failed statement aborts the explicit transaction: every further statement fails
 * with 25P02 until ROLLBACK; COMMIT of an aborted transaction rolls it back (the SQL statement
 * reports the tag {@code ROLLBACK}; {@link #commit()} throws 25P02). Read-only sessions fail
 * writes with 25006; write-write conflicts fail with 40001 at the statement or the commit.
 */
public final class Session implements AutoCloseable {
    private static final AtomicLong IDS = new AtomicLong();
    /** Memory for SHOW and EXPLAIN results (a few rows of text). */
    private static final long SMALL_RESULT_LIMIT = 16L << 20;
    /** The result of every single-row INSERT of the bulk path: immutable, so one for all. */
    private static final StatusResult INSERTED_ONE = StatusResult.counted("INSERT 0 ", 1);

    private final Duet duet;
    private final RowStore store;
    private final Sessions shared;
    private final SessionSettings settings;
    private final BufferAllocator allocator;
    private final DuetMetrics metrics;

    // The fields below are used by the session's thread only.
    /** The open explicit transaction, or null. */
    private Transaction tx;
    /** True once a statement of {@link #tx} failed: only COMMIT / ROLLBACK may follow. */
    private boolean txFailed;
    /** {@code BEGIN READ ONLY} / {@code SET TRANSACTION READ ONLY} for the open transaction. */
    private boolean txReadOnly;
    private boolean autoCommit = true;
    private boolean readOnly;
    /** Results still reading from an operator, oldest first. */
    private final List<QueryResult> streaming = new ArrayList<>();
    /** Row results not closed yet (they hold memory until closed); closed with the session. */
    private final List<QueryResult> unclosed = new ArrayList<>();
    private boolean closed;
    /** A DDL statement ran since the last commit (the tables the metrics follow may have changed). */
    private boolean ranDdl;
    /** The routing attached to each statement's context (see {@link #routing()}). */
    private ScanRouting routing;
    private Parallelism parallelism;
    /**
     * The appender of the table the last auto-commit single-row INSERT went to through the bulk
     * path ({@link #insertAlone}), kept for the next one (its buffers and table lookup cost more
     * than the row); null after a failure.
     */
    private Appender rowAppender;

    /** The contexts of statements running or streaming now: {@link #cancel()} (any thread) cancels them. */
    private final Set<QueryContext> active = ConcurrentHashMap.newKeySet();

    public Session(Duet duet) {
        this.duet = Objects.requireNonNull(duet, "duet is null");
        this.store = duet.rowStore();
        this.shared = duet.sessions();
        this.settings = new SessionSettings(duet.config().queryMemoryLimit(), duet.config().threads());
        this.allocator = duet.allocator().newChildAllocator("session-" + IDS.incrementAndGet(), 0, Long.MAX_VALUE);
        this.metrics = duet.metrics();
        shared.opened(this);
    }

    // ---------------------------------------------------------------- statements

    /** Plans {@code sql}, which must hold exactly one statement (42601 otherwise). Plans are cached. */
    public Prepared prepare(String sql) {
        Objects.requireNonNull(sql, "sql is null");
        checkOpen();
        if (txFailed) {
            // as PostgreSQL: parse only, and take nothing but the end of the transaction
            List<ParsedStatement> parsed = shared.frontEnd().parse(sql);
            if (parsed.size() != 1 || !endsTransaction(parsed.get(0).node())) {
                throw inFailedTransaction();
            }
        }
        try {
            return shared.prepare(sql, catalog());
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    /** Runs one statement without parameters. */
    public Result execute(String sql) {
        return execute(prepare(sql), List.of());
    }

    /**
     * Runs a prepared statement; {@code parameters} are JDBC-style Java values, coerced to the
     * parameter types (a string is parsed as a literal of a non-text type). 07001 if their number
     * is wrong.
     */
    public Result execute(Prepared statement, List<?> parameters) {
        Objects.requireNonNull(statement, "statement is null");
        Objects.requireNonNull(parameters, "parameters is null");
        checkOpen();
        PlannedStatement s = statement.statement();
        if (s.kind() == PlannedStatement.Kind.DML || s.kind() == PlannedStatement.Kind.DDL || endsTransaction(s)
                || s instanceof CopyStatement c && !c.to()) {
            readAheadOfSessionTransaction(); // reads may go on side by side; writes may not
        }
        long start = metrics.statementStarted(s.kind());
        if (txFailed && !endsTransaction(s)) {
            metrics.statementEnded(start);
            throw failed(inFailedTransaction());
        }
        Result result;
        try {
            result = switch (s.kind()) {
                case QUERY -> query(statement, parameters);
                case DML -> write(statement, parameters);
                case DDL -> {
                    ranDdl = true;
                    yield write(statement, parameters);
                }
                case UTILITY -> utility((UtilityStatement) s);
                case EXPLAIN -> explain(statement, parameters);
                case COPY -> copy(statement, parameters);
            };
        } catch (RuntimeException e) {
            metrics.statementEnded(start);
            throw failed(e);
        }
        if (result instanceof QueryResult q && q.streaming()) {
            q.timeFrom(start); // a query lasts until its rows are read
        } else {
            metrics.statementEnded(start);
        }
        return result;
    }

    /**
     * Runs a prepared statement once for each parameter set (JDBC's {@code executeBatch}) and
     * stops at the first failure. In auto-commit mode outside an explicit transaction, a batch of
     * INSERT / UPDATE / DELETE runs in one transaction committed at its end (one commit for the
     * batch instead of one per statement), each statement under a savepoint: a failing statement
     * is taken back and the statements before it are committed, which is what running them one
     * by one leaves. Only if that final commit fails (40001, an I/O error) does none of the batch
     * remain: the outcome then has no counts. Other statements, and batches inside a transaction,
     * run one by one as {@link #execute(Prepared, List)} runs them. A statement that returns rows
     * fails the batch (0100E). An auto-commit batch of a single-row INSERT of parameters and
     * literals tries the bulk load path first (see {@link #bulkInsert}); it falls back to the
     * above whenever that fails, so the outcome is the same.
     *
     * @return the update counts of the statements that took effect, in order, and the failure
     *     that stopped the batch (null if every statement ran)
     */
    public BatchOutcome executeBatch(Prepared statement, List<? extends List<?>> parameterSets) {
        Objects.requireNonNull(statement, "statement is null");
        Objects.requireNonNull(parameterSets, "parameterSets is null");
        checkOpen();
        long[] counts = new long[parameterSets.size()];
        boolean oneTransaction = tx == null && autoCommit && !readOnly
                && statement.statement().kind() == PlannedStatement.Kind.DML;
        if (!oneTransaction) {
            for (int i = 0; i < counts.length; i++) {
                try {
                    counts[i] = updateCountOf(execute(statement, parameterSets.get(i)));
                } catch (RuntimeException e) {
                    return new BatchOutcome(Arrays.copyOf(counts, i), e);
                }
            }
            return new BatchOutcome(counts, null);
        }
        BatchOutcome bulk = bulkInsert(statement, parameterSets);
        if (bulk != null) {
            return bulk;
        }
        int done = 0;
        RuntimeException failure = null;
        try (Transaction t = store.begin(false)) {
            try {
                for (; done < counts.length; done++) {
                    long start = metrics.statementStarted(PlannedStatement.Kind.DML);
                    try {
                        counts[done] = writeIn(t, statement, parameterSets.get(done), true, null).updateCount();
                    } finally {
                        metrics.statementEnded(start);
                    }
                }
            } catch (RuntimeException e) {
                failure = e;
                metrics.error(e);
            }
            if (!t.isActive()) {
                metrics.rolledBack();
                return new BatchOutcome(new long[0], failure); // the row store ended it: nothing remains
            }
            try {
                t.commit();
                metrics.committed();
            } catch (RuntimeException e) {
                metrics.rolledBack();
                metrics.error(e);
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                return new BatchOutcome(new long[0], e);
            }
        }
        return new BatchOutcome(done == counts.length ? counts : Arrays.copyOf(counts, done), failure);
    }

    /**
     * An auto-commit batch of a single-row INSERT of parameters and literals ({@link ParameterRow})
     * into a table without secondary indexes, through the row store's bulk path ({@link Appender}):
     * one commit whose rows are encoded straight into its WAL record. Null if the statement is not
     * such an INSERT, or if the bulk path failed: it then committed nothing, and the caller runs the
     * batch statement by statement, which reports the failure with the counts of the statements
     * before it exactly as without the bulk path. Each statement counts; the batch is timed once,
     * as a whole, since one commit runs them all.
     */
    private BatchOutcome bulkInsert(Prepared statement, List<? extends List<?>> parameterSets) {
        long start = System.nanoTime();
        if (parameterSets.isEmpty() || !appendInOneCommit(statement, parameterSets)) {
            return null;
        }
        long[] counts = new long[parameterSets.size()];
        Arrays.fill(counts, 1);
        metrics.bulkStatementsEnded(PlannedStatement.Kind.DML, counts.length, start);
        metrics.committed();
        return new BatchOutcome(counts, null);
    }

    /** The update count of one statement of a batch, which must not return rows (0100E). */
    private static long updateCountOf(Result result) {
        try {
            if (result.returnsRows()) {
                throw new DuetException(SqlState.TOO_MANY_RESULTS, "a statement in a batch returned rows");
            }
            return result.updateCount();
        } finally {
            result.close();
        }
    }

    /**
     * Runs every statement of a script in order and returns their results. The whole script is
     * parsed first (a syntax error anywhere runs none of it); each statement is then planned
     * against the catalog the ones before it left. A failing statement stops the script: its
     * error is thrown and the results of the statements before it are closed. In auto-commit mode
     * each statement commits on its own (as psql runs a file), so the statements before a failing
     * one stay done. Row results before the last are read completely before the next statement
     * runs.
     */
    public List<Result> executeScript(String sql) {
        Objects.requireNonNull(sql, "sql is null");
        checkOpen();
        List<ParsedStatement> statements;
        try {
            statements = shared.frontEnd().parse(sql);
        } catch (RuntimeException e) {
            throw failed(e);
        }
        List<Result> results = new ArrayList<>();
        try {
            for (ParsedStatement parsed : statements) {
                for (Result r : results) {
                    if (r instanceof QueryResult q) {
                        q.readRemaining();
                    }
                }
                Prepared p;
                if (txFailed && !endsTransaction(parsed.node())) {
                    throw inFailedTransaction();
                }
                try {
                    Catalog catalog = catalog();
                    long start = System.nanoTime();
                    PlannedStatement planned = shared.frontEnd().plan(parsed, catalog);
                    p = Sessions.prepared(parsed.sql(), catalog, planned, System.nanoTime() - start);
                } catch (RuntimeException e) {
                    throw failed(e);
                }
                results.add(execute(p, List.of()));
            }
        } catch (RuntimeException e) {
            for (Result r : results) {
                try {
                    r.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return results;
    }

    // ---------------------------------------------------------------- queries

    private Result query(Prepared statement, List<?> parameters) {
        boolean own = tx == null && autoCommit;
        Transaction t = own ? store.begin(true) : transaction();
        QueryContext context = null;
        try {
            Prepared p = current(statement, t.catalog());
            Object[] values = bind(p, parameters);
            PlanNode plan = p.queryPlan(settings.route(), settings.threads());
            PointLookup lookup = p.pointLookup(settings.route());
            if (lookup != null) {
                // read now, in the statement's snapshot: the result then holds no transaction
                Result r = new LookupResult(this, p.columns(), lookup.row(t, values));
                if (own) {
                    t.close();
                }
                return r;
            }
            context = newContext(settings.memoryLimit());
            context.setParameters(values);
            QueryContext c = context;
            QueryResult r = new QueryResult(this, ((PlannedQuery) p.statement()).columns(), c,
                    c.allocating(() -> PlanNode.instantiate(plan, c, t)), own ? t : null);
            streaming.add(r);
            unclosed.add(r);
            return r;
        } catch (RuntimeException e) {
            if (context != null) {
                endContext(context, e);
            }
            if (own) {
                t.close();
            }
            throw e;
        }
    }

    /** Memory limit of a statement's query context. */
    long memoryLimit() {
        return settings.memoryLimit();
    }

    /** Called by a result whose operator reached its end (or was closed early). */
    void resultEnded(QueryResult result) {
        streaming.remove(result);
        active.remove(result.context());
    }

    /** Called by a result when it is closed, before it closes its context. */
    void resultClosed(QueryResult result) {
        unclosed.remove(result);
        metrics.queryMemoryPeak(result.context().peakBytes());
    }

    /** Called by a result whose rows ended (or that was closed) with the start of its statement. */
    void statementEnded(long startNanos) {
        metrics.statementEnded(startNanos);
    }

    /** Called by a result whose operator failed: the failure is the statement's. */
    void resultFailed(QueryResult result, RuntimeException e) {
        metrics.error(e);
        resultEnded(result);
        if (result.readsSessionTransaction() && tx != null) {
            txFailed = true;
        }
    }

    /**
     * Reads ahead the rows of every result still streaming from the explicit transaction: the
     * next statement writes to it or ends it, which must not change (or break) what an open
     * result returns. Queries need not wait: scans of one transaction may run side by side.
     */
    private void readAheadOfSessionTransaction() {
        if (streaming.isEmpty()) {
            return;
        }
        for (QueryResult r : List.copyOf(streaming)) {
            if (r.readsSessionTransaction()) {
                r.readRemaining();
            }
        }
    }

    // ---------------------------------------------------------------- writes

    private Result write(Prepared statement, List<?> parameters) {
        if (tx == null && autoCommit && !readOnly && !txReadOnly) {
            Result alone = insertAlone(statement, parameters);
            if (alone != null) {
                return alone;
            }
        }
        return write(commandOf(statement.statement()), (t, context) -> writeWork(t, context, statement, parameters, false));
    }

    /**
     * An auto-commit single-row INSERT of parameters and literals into a table without secondary
     * indexes, through the bulk path as {@link #bulkInsert} runs a batch: one commit of one
     * INSERT_RUN record, without a transaction and its write set. The commit checks under the
     * commit lock that no live row has the key, as the ordinary path's commit does. Null if the
     * statement is not such an INSERT or the bulk path failed: it then committed nothing, and the
     * caller runs the statement the ordinary way, which reports the failure.
     */
    private Result insertAlone(Prepared statement, List<?> parameters) {
        if (!appendInOneCommit(statement, List.of(parameters))) {
            return null;
        }
        committed();
        return INSERTED_ONE;
    }

    /**
     * The bulk path of {@link #bulkInsert} and {@link #insertAlone}: if {@code statement} is a
     * single-row INSERT of parameters and literals ({@link ParameterRow}) into a table without
     * secondary indexes, appends one row per parameter set through the session's {@link Appender}
     * for that table and commits them all as one INSERT_RUN record. False if the statement is not
     * such an INSERT or anything failed: nothing was then committed (planning, binding and
     * constraint errors recur on the ordinary path, which reports them).
     */
    private boolean appendInOneCommit(Prepared statement, List<? extends List<?>> parameterSets) {
        if (!(statement.statement() instanceof PlannedDml d) || d.operation() != PlannedDml.Operation.INSERT) {
            return false;
        }
        Catalog catalog = store.catalog();
        Prepared p;
        ParameterRow row;
        try {
            p = current(statement, catalog);
            row = p.parameterRow();
        } catch (RuntimeException e) {
            return false;
        }
        if (row == null) {
            return false;
        }
        TableDef table = ((PlannedDml) p.statement()).table();
        if (!catalog.indexes(table.id()).isEmpty()) {
            return false;
        }
        // no query context: the rows go from the bound values straight into the appender's
        // chunk, with no operator to run, no Arrow memory to account and nothing to cancel
        Appender appender = rowAppender;
        try {
            if (appender == null || appender.table() != table && !appender.table().equals(table)) {
                appender = store.appender(table.qualifiedName(), Integer.MAX_VALUE);
                rowAppender = appender;
            }
        } catch (RuntimeException e) {
            return false;
        }
        try {
            Object[] bound = new Object[p.parameterTypes().size()];
            for (List<?> parameters : parameterSets) {
                row.appendTo(appender, bind(p, parameters, bound));
            }
            appender.flush();
            return true;
        } catch (RuntimeException e) {
            appender.discard();
            rowAppender = null;
            return false;
        }
    }

    /**
     * Runs one writing statement: 25006 in a read-only session or transaction; in the session's
     * transaction under a savepoint, or in a transaction of its own committed at the end.
     */
    private Result write(String command, WriteWork work) {
        if (readOnly || txReadOnly) {
            throw DuetException.of(SqlState.READ_ONLY_SQL_TRANSACTION,
                    "cannot execute %s in a read-only transaction", command);
        }
        boolean own = tx == null && autoCommit;
        if (!own) {
            return writeIn(transaction(), work, true, null);
        }
        return inOwnTransaction(t -> writeIn(t, work, false, null));
    }

    /** Runs {@code work} in a read-write transaction of its own and commits it (auto-commit). */
    private Result inOwnTransaction(Function<Transaction, Result> work) {
        boolean committed = false;
        try (Transaction t = store.begin(false)) {
            Result result = work.apply(t);
            t.commit();
            committed = true;
            return result;
        } finally {
            if (committed) {
                committed();
            } else {
                metrics.rolledBack();
            }
        }
    }

    /** Counts a commit; after DDL, lets the metrics follow the tables. */
    private void committed() {
        metrics.committed();
        if (ranDdl) {
            ranDdl = false;
            metrics.refreshTables(store.catalog());
        }
    }

    /** The work of one writing statement, given its transaction and its query context. */
    @FunctionalInterface
    private interface WriteWork {
        Result run(Transaction t, QueryContext context);
    }

    /** The work of a DML, DDL or COPY FROM statement; {@code profiled}: for EXPLAIN ANALYZE. */
    private Result writeWork(Transaction t, QueryContext context, Prepared statement, List<?> parameters,
            boolean profiled) {
        Prepared p = current(statement, t.catalog());
        context.setParameters(bind(p, parameters));
        DmlExecutor executor = new DmlExecutor(context, t);
        if (p.statement() instanceof PlannedDml dml) {
            return dml(dml, executor, p, settings.route(), profiled);
        }
        if (p.statement() instanceof CopyStatement copy) {
            return copyFrom(t, copy.target(), copy.columns(), ParquetCopy.resolve(copy.path()), context);
        }
        return ddl((DdlStatement) p.statement(), executor, p, t, settings.route());
    }

    /**
     * Runs a DML or DDL statement in {@code t}. With {@code atomic}, a failure first takes back
     * the statement's writes (a savepoint), leaving {@code t} as it was before; without, the
     * caller discards {@code t} on failure. A non-null {@code profile} runs it profiled (EXPLAIN
     * ANALYZE).
     */
    private Result writeIn(Transaction t, Prepared statement, List<?> parameters, boolean atomic, QueryProfile profile) {
        return writeIn(t, (tx, context) -> writeWork(tx, context, statement, parameters, profile != null), atomic, profile);
    }

    private Result writeIn(Transaction t, WriteWork work, boolean atomic, QueryProfile profile) {
        Transaction.Savepoint savepoint = atomic ? t.savepoint() : null;
        QueryContext context = newContext(settings.memoryLimit());
        context.setProfile(profile);
        Result result;
        try {
            result = work.run(t, context);
            if (atomic) {
                t.release(savepoint);
            }
        } catch (RuntimeException e) {
            if (atomic && t.isActive()) {
                t.rollbackTo(savepoint);
                t.release(savepoint);
            }
            endContext(context, e);
            throw e;
        }
        endContext(context, null);
        return result;
    }

    private static Result dml(PlannedDml dml, DmlExecutor executor, Prepared p, RouteMode mode, boolean profiled) {
        // profiled, the row goes through its plan's operators so that EXPLAIN ANALYZE shows them
        ParameterRow row = profiled ? null : p.parameterRow();
        PointLookup lookup = profiled ? null : p.pointLookup(mode);
        long n = row != null ? executor.insert(dml.table(), row) : executor.execute(dml, p.physicalPlan(mode), lookup);
        return StatusResult.counted(switch (dml.operation()) {
            case INSERT -> "INSERT 0 ";
            case UPDATE -> "UPDATE ";
            case DELETE -> "DELETE ";
        }, n);
    }

    private static Result ddl(DdlStatement ddl, DmlExecutor executor, Prepared p, Transaction t, RouteMode mode) {
        if (ddl instanceof CreateTable create) {
            if (create.ifNotExists() && exists(t, create.name(), t.catalog()::findTable)) {
                return StatusResult.of(create.query() == null ? "CREATE TABLE" : "SELECT 0");
            }
            TableDef created = t.createTable(create.tableDef());
            if (create.query() == null) {
                return StatusResult.of("CREATE TABLE");
            }
            long n = executor.insert(created, p.physicalPlan(mode));
            return StatusResult.counted("SELECT ", n);
        }
        if (ddl instanceof DropTable drop) {
            if (!drop.ifExists() || exists(t, drop.name(), t.catalog()::findTable)) {
                t.dropTable(qualified(drop.name()));
            }
            return StatusResult.of("DROP TABLE");
        }
        if (ddl instanceof CreateView create) {
            t.createView(create.viewDef(), create.orReplace());
            return StatusResult.of("CREATE VIEW");
        }
        if (ddl instanceof DropView drop) {
            if (!drop.ifExists() || exists(t, drop.name(), t.catalog()::findView)) {
                t.dropView(qualified(drop.name()));
            }
            return StatusResult.of("DROP VIEW");
        }
        if (ddl instanceof CreateIndex create) {
            TableDef table = t.table(qualified(create.table()));
            QualifiedName name = new QualifiedName(table.schema(), create.indexName());
            Catalog c = t.catalog();
            boolean taken = exists(t, name, c::findIndex) || exists(t, name, c::findTable) || exists(t, name, c::findView);
            if (!(taken && create.ifNotExists())) { // PostgreSQL: IF NOT EXISTS skips on any relation of that name
                t.createIndex(IndexDef.on(table, create.indexName(), create.unique(),
                        create.columns().toArray(String[]::new)));
            }
            return StatusResult.of("CREATE INDEX");
        }
        if (ddl instanceof DropIndex drop) {
            if (!drop.ifExists() || exists(t, drop.name(), t.catalog()::findIndex)) {
                t.dropIndex(qualified(drop.name()));
            }
            return StatusResult.of("DROP INDEX");
        }
        throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED, "%s is not supported yet", commandOf(ddl));
    }

    /** True if {@code name}'s schema exists and {@code find} (a catalog lookup) has {@code name} in it. */
    private static boolean exists(Transaction t, QualifiedName name, BiFunction<String, String, ?> find) {
        return t.catalog().hasSchema(name.schema()) && find.apply(name.schema(), name.name()) != null;
    }

    private static String qualified(QualifiedName name) {
        return name.schema() + "." + name.name();
    }

    /** The SQL command a statement is, for messages: {@code INSERT}, {@code CREATE TABLE}, ... */
    private static String commandOf(PlannedStatement s) {
        if (s instanceof PlannedDml d) {
            return d.operation().name();
        }
        if (s instanceof CopyStatement c) {
            return c.to() ? "COPY TO" : "COPY FROM";
        }
        String simple = s.getClass().getSimpleName(); // CreateTable → CREATE TABLE
        return simple.replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(Locale.ROOT);
    }


    // ---------------------------------------------------------------- COPY and Parquet

    /**
     * COPY TO runs its query like a SELECT (a read: allowed in read-only sessions) and writes the
     * rows to the file; COPY FROM is a write statement (atomic, 25006 when read-only).
     */
    private Result copy(Prepared statement, List<?> parameters) {
        CopyStatement c = (CopyStatement) statement.statement();
        if (c.path() == null) {
            throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED,
                    "COPY %s is not supported; name a file", c.to() ? "TO STDOUT" : "FROM STDIN");
        }
        if (c.to()) {
            ParquetWriteOptions options = ParquetCopy.writeOptions(c.options(), c.path());
            return export(statement, parameters, ParquetCopy.resolve(c.path()), options);
        }
        ParquetCopy.checkReadOptions(c.options(), c.path());
        return write(statement, parameters);
    }

    /**
     * Writes the rows of {@code query} (one SELECT, VALUES or WITH query; parameters are not
     * supported here) to a Parquet file, exactly as {@code COPY (query) TO 'file' (FORMAT parquet)}
     * does, in this session's transaction if one is open. Returns the number of rows written.
     * Relative paths resolve against the working directory.
     */
    public long exportParquet(String query, Path file, ParquetWriteOptions options) {
        Objects.requireNonNull(file, "file is null");
        Objects.requireNonNull(options, "options is null");
        Prepared p = prepare(query);
        if (p.statement().kind() != PlannedStatement.Kind.QUERY) {
            throw DuetException.of(SqlState.INVALID_PARAMETER_VALUE, "exportParquet takes a query, not: %s", query);
        }
        if (txFailed) {
            throw inFailedTransaction();
        }
        try {
            return export(p, List.of(), file.toAbsolutePath(), options).updateCount();
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    /**
     * Inserts the rows of a Parquet file into {@code table} ({@code name} or {@code schema.name},
     * as stored), exactly as {@code COPY table FROM 'file' (FORMAT parquet)} does: file columns fill
     * the table's columns by position, all or nothing, in this session's transaction if one is
     * open. Returns the number of rows inserted.
     */
    public long importParquet(String table, Path file) {
        Objects.requireNonNull(table, "table is null");
        Objects.requireNonNull(file, "file is null");
        checkOpen();
        readAheadOfSessionTransaction();
        if (txFailed) {
            throw inFailedTransaction();
        }
        Path absolute = file.toAbsolutePath();
        try {
            return write("COPY FROM", (t, context) -> copyFrom(t, t.table(table), List.of(), absolute, context))
                    .updateCount();
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    private Result export(Prepared statement, List<?> parameters, Path file, ParquetWriteOptions options) {
        boolean own = tx == null && autoCommit;
        Transaction t = own ? store.begin(true) : transaction();
        QueryContext context = newContext(settings.memoryLimit());
        RuntimeException failure = null;
        try {
            Prepared p = current(statement, t.catalog());
            context.setParameters(bind(p, parameters));
            PlanNode plan = p.physicalPlan();
            List<OutputColumn> columns = p.statement() instanceof CopyStatement c
                    ? c.query().columns() : ((PlannedQuery) p.statement()).columns();
            try (Operator op = context.allocating(() -> plan.createOperator(context, t))) {
                long n = ParquetCopy.export(op, columns, file, options, context);
                return StatusResult.counted("COPY ", n);
            }
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            endContext(context, failure);
            if (own) {
                t.close();
            }
        }
    }

    private static Result copyFrom(Transaction t, TableDef planned, List<String> columns, Path file,
            QueryContext context) {
        TableDef table = t.table(planned.qualifiedName());
        if (table.id() != planned.id() || !table.columns().equals(planned.columns())) {
            throw new IllegalStateException("table " + planned.name() + " changed since the statement was planned");
        }
        long n = ParquetCopy.load(t, table, columns, file, context);
        return StatusResult.counted("COPY ", n);
    }

    // ---------------------------------------------------------------- utility statements

    private Result utility(UtilityStatement u) {
        return switch (u.type()) {
            case BEGIN -> {
                if (tx == null) {
                    boolean ro = mentions(u.node(), "READ ONLY");
                    tx = store.begin(readOnly || ro);
                    txReadOnly = ro;
                }
                yield StatusResult.of("BEGIN");
            }
            case COMMIT -> {
                boolean rolledBack = txFailed;
                endTransaction(!txFailed);
                if (chains(u.node())) {
                    transaction();
                }
                yield StatusResult.of(rolledBack ? "ROLLBACK" : "COMMIT");
            }
            case ROLLBACK -> {
                endTransaction(false);
                if (chains(u.node())) {
                    transaction();
                }
                yield StatusResult.of("ROLLBACK");
            }
            case SET -> set((SqlSetOption) u.node());
            case SHOW -> show(((SqlShow) u.node()).getName().toString());
            case DISCARD -> {
                settings.resetAll();
                yield StatusResult.of("DISCARD ALL");
            }
        };
    }

    private static boolean mentions(SqlNode node, String words) {
        return node.toString().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ").contains(words);
    }

    private static boolean chains(SqlNode node) {
        return mentions(node, "AND CHAIN") && !mentions(node, "AND NO CHAIN");
    }

    private Result set(SqlSetOption option) {
        String name = String.join(".", option.getName().names);
        SqlNode value = option.getValue();
        if (value == null) { // RESET
            if (name.equalsIgnoreCase("all")) {
                settings.resetAll();
            } else {
                settings.reset(name);
            }
            return StatusResult.of("RESET");
        }
        if (name.equalsIgnoreCase("transaction")) {
            // SET TRANSACTION: only the access mode matters (the isolation is always snapshot)
            if (mentions(value, "READ ONLY") && tx != null) {
                txReadOnly = true;
            }
            return StatusResult.of("SET");
        }
        String text = valueText(value);
        if (text.equalsIgnoreCase("default")) {
            settings.reset(name);
        } else {
            settings.set(name, text);
        }
        return StatusResult.of("SET");
    }

    private static String valueText(SqlNode value) {
        if (value instanceof SqlCharStringLiteral s) {
            return s.getValueAs(String.class);
        }
        if (value instanceof SqlLiteral l) {
            return l.toValue();
        }
        if (value instanceof SqlIdentifier id) {
            return String.join(".", id.names);
        }
        if (value instanceof SqlNodeList list) {
            List<String> parts = new ArrayList<>();
            list.forEach(n -> parts.add(valueText(n)));
            return String.join(", ", parts);
        }
        return value.toString();
    }

    private Result show(String name) {
        if (name.equalsIgnoreCase("all")) {
            return rows(List.of(new OutputColumn("name", DataType.TEXT, false),
                    new OutputColumn("setting", DataType.TEXT, false)), new ArrayList<>(settings.all()));
        }
        String n = SessionSettings.normalize(name);
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {n.equals("transaction_read_only")
                ? (readOnly || txReadOnly ? "on" : "off") : settings.show(name)});
        return rows(List.of(new OutputColumn(n, DataType.TEXT, false)), rows);
    }

    /** A result of a few rows computed here. */
    private Result rows(List<OutputColumn> columns, List<Object[]> rows) {
        return rows(columns, rows, SMALL_RESULT_LIMIT);
    }

    /**
     * Rows of canonical values as a result of one batch, in a query context of its own limited to
     * {@code memoryLimit} bytes; the session closes it if the caller does not.
     */
    Result rows(List<OutputColumn> columns, List<Object[]> rows, long memoryLimit) {
        List<BatchColumn> batchColumns = columns.stream()
                .map(c -> new BatchColumn(c.name(), c.type(), c.nullable())).toList();
        QueryContext context = newContext(memoryLimit);
        active.remove(context);
        try {
            VectorSchemaRoot batch = Batches.fromRows(context.allocator(), batchColumns, rows);
            QueryResult r = new QueryResult(this, columns, context, batch);
            unclosed.add(r);
            return r;
        } catch (RuntimeException e) {
            endContext(context, e);
            throw e;
        }
    }

    /** The columns of a statement whose rows the session computes itself (SHOW, EXPLAIN), else empty. */
    static List<OutputColumn> columnsOf(PlannedStatement statement) {
        if (statement instanceof PlannedExplain) {
            return List.of(new OutputColumn("QUERY PLAN", DataType.TEXT, false));
        }
        if (statement instanceof UtilityStatement u && u.node() instanceof SqlShow show) {
            String name = show.getName().toString();
            return name.equalsIgnoreCase("all")
                    ? List.of(new OutputColumn("name", DataType.TEXT, false),
                            new OutputColumn("setting", DataType.TEXT, false))
                    : List.of(new OutputColumn(SessionSettings.normalize(name), DataType.TEXT, false));
        }
        return List.of();
    }

    // ---------------------------------------------------------------- EXPLAIN

    private Result explain(Prepared statement, List<?> parameters) {
        PlannedExplain explain = (PlannedExplain) statement.statement();
        if (explain.analyze()) {
            return explainAnalyze(statement, parameters);
        }
        PlannedStatement s = explain.explained();
        if (!(s instanceof PlannedQuery) && !(s instanceof PlannedDml)) {
            throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED, "EXPLAIN of %s is not supported", commandOf(s));
        }
        PlanNode plan = Prepared.physicalPlanOf(s, settings.route() != RouteMode.COLUMN);
        if (s instanceof PlannedQuery) {
            plan = Parallelizer.parallelize(plan, settings.threads());
        }
        StringBuilder text = new StringBuilder();
        Transaction t = tx != null ? tx : store.begin(true);
        try {
            if (s instanceof PlannedDml dml) {
                text.append(dmlLine(dml)).append('\n');
                plan.explain(describer(plan, t)).lines().forEach(l -> text.append("  ").append(l).append('\n'));
            } else {
                text.append(plan.explain(describer(plan, t)));
            }
        } finally {
            if (t != tx) {
                t.close();
            }
        }
        return explainRows(explain, text);
    }

    /**
     * How EXPLAIN describes the nodes of {@code plan} run in {@code t}: a table scan adds the store
     * it is routed to now, why, and the column store's row estimate. Decided before the statement
     * runs (EXPLAIN ANALYZE of a write would otherwise see the table as written).
     */
    private Function<PlanNode, String> describer(PlanNode plan, Transaction t) {
        Map<PlanNode, String> routes = new IdentityHashMap<>();
        ArrayDeque<PlanNode> pending = new ArrayDeque<>(List.of(plan));
        for (PlanNode n; (n = pending.poll()) != null; ) {
            if (n instanceof TableScanNode scan) {
                routes.put(n, scan.describe() + " " + scan.route(routing(), t).describe());
            } else if (n instanceof GatherNode gather && !gather.driver().route(routing(), t).column()) {
                routes.put(n, gather.describe() + " (runs serially: its scan reads the row store)");
            }
            pending.addAll(n.inputs());
        }
        return n -> routes.getOrDefault(n, n.describe());
    }

    /** The line EXPLAIN shows for the writing step of INSERT / UPDATE / DELETE. */
    private static String dmlLine(PlannedDml dml) {
        String columns = dml.modify().getUpdateColumnList() == null ? ""
                : ", columns=" + dml.modify().getUpdateColumnList();
        return switch (dml.operation()) {
            case INSERT -> "Insert";
            case UPDATE -> "Update";
            case DELETE -> "Delete";
        } + "(table=" + dml.table().qualifiedName() + columns + ")";
    }

    private Result explainRows(PlannedExplain explain, CharSequence text) {
        List<Object[]> rows = new ArrayList<>();
        text.toString().lines().forEach(l -> rows.add(new Object[] {l}));
        return rows(columnsOf(explain), rows);
    }

    /**
     * EXPLAIN ANALYZE: runs the statement as it would run on its own, its rows discarded (a
     * query) or its changes made (INSERT / UPDATE / DELETE, in the session's transaction, or
     * committed in auto-commit mode, as PostgreSQL does), with every operator counting, then
     * returns the plan with what each node did and a footer (planning and execution time, the
     * query allocator's peak). A failure fails the statement as running it would.
     */
    private Result explainAnalyze(Prepared statement, List<?> parameters) {
        PlannedStatement s = ((PlannedExplain) statement.statement()).explained();
        if (s instanceof PlannedQuery) {
            return analyzeQuery(statement, parameters);
        }
        if (s instanceof PlannedDml) {
            if (readOnly || txReadOnly) {
                throw DuetException.of(SqlState.READ_ONLY_SQL_TRANSACTION,
                        "cannot execute %s in a read-only transaction", commandOf(s));
            }
            readAheadOfSessionTransaction();
            boolean own = tx == null && autoCommit;
            if (!own) {
                return analyzeDml(transaction(), statement, parameters, true);
            }
            return inOwnTransaction(t -> analyzeDml(t, statement, parameters, false));
        }
        throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED, "EXPLAIN ANALYZE of %s is not supported", commandOf(s));
    }

    private Result analyzeQuery(Prepared statement, List<?> parameters) {
        boolean own = tx == null && autoCommit;
        Transaction t = own ? store.begin(true) : transaction();
        QueryContext context = null;
        try {
            Prepared p = current(statement, t.catalog());
            PlannedExplain explain = (PlannedExplain) p.statement();
            long planStart = System.nanoTime();
            PlanNode plan = Parallelizer.parallelize(
                    Prepared.physicalPlanOf(explain.explained(), settings.route() != RouteMode.COLUMN), settings.threads());
            Function<PlanNode, String> describe = describer(plan, t);
            long planning = p.planningNanos() + (System.nanoTime() - planStart);
            QueryProfile profile = new QueryProfile();
            context = newContext(settings.memoryLimit());
            context.setParameters(bind(Sessions.prepared(p.sql(), p.catalog(), explain.explained()), parameters));
            context.setProfile(profile);
            QueryContext c = context;
            long start = System.nanoTime();
            try (Operator op = c.allocating(() -> PlanNode.instantiate(plan, c, t))) {
                do {
                    c.checkCancelled();
                } while (c.allocating(op::next) != null);
            }
            long execution = System.nanoTime() - start;
            context = null;
            endContext(c, null);
            StringBuilder text = new StringBuilder();
            ProfiledPlan.append(text, plan, profile, 0, describe);
            return explainRows(explain, footer(text, planning, execution, profile));
        } catch (RuntimeException e) {
            if (context != null) {
                endContext(context, e);
            }
            throw e;
        } finally {
            if (own) {
                t.close();
            }
        }
    }

    /** Runs the DML statement of an EXPLAIN ANALYZE in {@code t}, as {@link #writeIn} runs DML. */
    private Result analyzeDml(Transaction t, Prepared statement, List<?> parameters, boolean atomic) {
        Prepared p = current(statement, t.catalog());
        PlannedExplain explain = (PlannedExplain) p.statement();
        PlannedDml dml = (PlannedDml) explain.explained();
        // the DML on its own, planned against the catalog writeIn checks, so it is not planned again
        Prepared inner = Sessions.prepared(p.sql(), t.catalog(), dml);
        long planStart = System.nanoTime();
        PlanNode plan = inner.physicalPlan(settings.route());
        long planning = p.planningNanos() + (System.nanoTime() - planStart);
        Function<PlanNode, String> describe = describer(plan, t);
        QueryProfile profile = new QueryProfile();
        long start = System.nanoTime();
        long changed = writeIn(t, inner, parameters, atomic, profile).updateCount();
        long execution = System.nanoTime() - start;
        StringBuilder text = new StringBuilder(dmlLine(dml));
        long inputs = ProfiledPlan.inclusiveNanos(plan, profile);
        text.append(" (actual rows=").append(changed).append(" time=").append(ProfiledPlan.millis(execution))
                .append(" ms self=").append(ProfiledPlan.millis(Math.max(0, execution - inputs))).append(" ms)\n");
        ProfiledPlan.append(text, plan, profile, 1, describe);
        return explainRows(explain, footer(text, planning, execution, profile));
    }

    private static StringBuilder footer(StringBuilder text, long planningNanos, long executionNanos, QueryProfile profile) {
        return text.append("Planning Time: ").append(ProfiledPlan.millis(planningNanos)).append(" ms\n")
                .append("Execution Time: ").append(ProfiledPlan.millis(executionNanos)).append(" ms\n")
                .append("Peak Memory: ").append(Math.max(0, profile.peakBytes())).append(" bytes\n");
    }

    // ---------------------------------------------------------------- parameters and plans

    /** {@code statement} planned for {@code catalog}: itself if planned against it, else re-planned. */
    private Prepared current(Prepared statement, Catalog catalog) {
        return statement.catalog() == catalog ? statement : shared.prepare(statement.sql(), catalog);
    }

    /** {@code parameters} coerced to {@code p}'s parameter types, in a new array; 07001 if their number is wrong. */
    private static Object[] bind(Prepared p, List<?> parameters) {
        return bind(p, parameters, new Object[p.parameterTypes().size()]);
    }

    /** As {@link #bind(Prepared, List)}, into {@code values} (one element per parameter), which it returns. */
    private static Object[] bind(Prepared p, List<?> parameters, Object[] values) {
        List<DataType> types = p.parameterTypes();
        if (parameters.size() != types.size()) {
            throw DuetException.of(SqlState.WRONG_PARAMETER_COUNT,
                    "the statement has %d parameters but %d values were bound", types.size(), parameters.size());
        }
        for (int i = 0; i < values.length; i++) {
            DataType type = types.get(i);
            Object v = parameters.get(i);
            String name = QueryContext.parameterName(i);
            values[i] = v instanceof String s && type.kind() != DataType.Kind.VARCHAR
                    ? TextValues.parse(type, s, name)
                    : Values.coerce(type, v, name);
        }
        return values;
    }

    // ---------------------------------------------------------------- transactions

    /** The explicit transaction, begun now if there is none (auto-commit off, or a write inside BEGIN). */
    private Transaction transaction() {
        if (tx == null) {
            tx = store.begin(readOnly);
            txFailed = false;
            txReadOnly = false;
        }
        return tx;
    }

    /** Commits (or rolls back) and forgets the explicit transaction, if any. */
    private void endTransaction(boolean commit) {
        Transaction t = tx;
        tx = null;
        txFailed = false;
        txReadOnly = false;
        if (t == null) {
            return;
        }
        if (commit) {
            try {
                t.commit(); // on 40001 the row store has rolled it back
            } catch (RuntimeException e) {
                metrics.rolledBack();
                throw e;
            }
            committed();
        } else {
            t.rollback();
            metrics.rolledBack();
        }
    }

    private static boolean endsTransaction(PlannedStatement s) {
        return s instanceof UtilityStatement u
                && (u.type() == UtilityStatement.Type.COMMIT || u.type() == UtilityStatement.Type.ROLLBACK);
    }

    private static boolean endsTransaction(SqlNode node) {
        return node instanceof SqlCommit || node instanceof SqlRollback;
    }

    private static DuetException inFailedTransaction() {
        return new DuetException(SqlState.IN_FAILED_SQL_TRANSACTION,
                "current transaction is aborted, commands ignored until end of transaction block");
    }

    /** Marks the explicit transaction failed (PostgreSQL aborts it on any error) and returns {@code e}. */
    private RuntimeException failed(RuntimeException e) {
        metrics.error(e);
        if (tx != null) {
            txFailed = true;
        }
        return e;
    }

    public boolean autoCommit() {
        return autoCommit;
    }

    /**
     * JDBC semantics: turning auto-commit on commits an open transaction (25P02 if it had
     * failed: it is rolled back instead); turning it off makes the next statement begin one.
     */
    public void setAutoCommit(boolean on) {
        checkOpen();
        if (on && !autoCommit) {
            try {
                commit();
            } finally {
                autoCommit = true;
            }
            return;
        }
        autoCommit = on;
    }

    /** Commits the open transaction (nothing if there is none); 25P02 if it had failed (it is rolled back). */
    public void commit() {
        checkOpen();
        readAheadOfSessionTransaction();
        if (txFailed) {
            endTransaction(false);
            throw new DuetException(SqlState.IN_FAILED_SQL_TRANSACTION,
                    "the transaction was aborted by an earlier error and has been rolled back");
        }
        endTransaction(true);
    }

    /** Rolls back the open transaction, if any. */
    public void rollback() {
        checkOpen();
        readAheadOfSessionTransaction();
        endTransaction(false);
    }

    public boolean readOnly() {
        return readOnly;
    }

    /** Makes the session read-only (writes fail with 25006) or not; 25001 inside a transaction. */
    public void setReadOnly(boolean readOnly) {
        checkOpen();
        if (tx != null && readOnly != this.readOnly) {
            throw new DuetException(SqlState.ACTIVE_SQL_TRANSACTION,
                    "cannot change the read-only mode inside a transaction");
        }
        this.readOnly = readOnly;
    }

    /** True while an explicit transaction is open. */
    public boolean inTransaction() {
        return tx != null;
    }

    /** True if the open transaction failed and only ROLLBACK (or COMMIT, which rolls back) may follow. */
    public boolean transactionFailed() {
        return txFailed;
    }

    /** The catalog this session currently sees: its transaction's, if one is open. */
    public Catalog catalog() {
        return tx != null ? tx.catalog() : store.catalog();
    }

    // ---------------------------------------------------------------- cancel, limits, memory

    /** Makes the running statement (and any result still streaming) fail with 57014. Any thread. */
    public void cancel() {
        for (QueryContext c : active) {
            c.cancel();
        }
    }

    /** The time a statement may run before it fails with 57014; zero means no limit. */
    public void setStatementTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout is null");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        settings.setStatementTimeout(timeout);
    }

    public Duration statementTimeout() {
        return settings.statementTimeout();
    }

    /**
     * An allocator for result consumers: a child of the database's, closed with the session
     * (free what was allocated from it before closing the session).
     */
    public BufferAllocator allocator() {
        return allocator;
    }

    private QueryContext newContext(long memoryLimit) {
        QueryContext c = new QueryContext(duet.allocator(), memoryLimit);
        c.setTimeout(settings.statementTimeout());
        c.attach(ScanRouting.class, routing());
        if (settings.threads() > 1) {
            c.attach(Parallelism.class, parallelism());
        }
        active.add(c);
        return c;
    }

    /** How this session's gathers run: one object per {@code duet.morsel_rows} value, made when it changes. */
    private Parallelism parallelism() {
        Parallelism p = parallelism;
        if (p == null || p.morselRows() != settings.morselRows()) {
            p = new Parallelism(duet.queryWorkers(), settings.morselRows());
            parallelism = p;
        }
        return p;
    }

    /** The routing of this session's scans: one object per {@code duet.route} value, made when it changes. */
    private ScanRouting routing() {
        ScanRouting r = routing;
        if (r == null || r.mode() != settings.route()) {
            r = new ScanRouting(settings.route(), duet.columnScans());
            routing = r;
        }
        return r;
    }

    /** Closes a statement's context; a leak is reported (added to {@code failure} if there is one). */
    private void endContext(QueryContext context, RuntimeException failure) {
        active.remove(context);
        metrics.queryMemoryPeak(context.peakBytes());
        try {
            context.close();
        } catch (IllegalStateException leak) {
            if (failure == null) {
                throw leak;
            }
            failure.addSuppressed(leak);
        }
    }

    // ---------------------------------------------------------------- end

    private void checkOpen() {
        if (closed) {
            throw new DuetException(SqlState.CONNECTION_DOES_NOT_EXIST, "session is closed");
        }
    }

    /** Closes results still streaming, rolls back an open transaction, frees the session. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (QueryResult r : List.copyOf(unclosed)) {
                r.close();
            }
            if (tx != null) {
                endTransaction(false);
            }
        } finally {
            shared.closed(this);
            allocator.close();
        }
    }
}
