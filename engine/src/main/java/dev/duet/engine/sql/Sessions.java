package dev.duet.engine.sql;

import dev.duet.core.catalog.Catalog;
import dev.duet.planner.CopyStatement;
import dev.duet.planner.PlannedDml;
import dev.duet.planner.PlannedExplain;
import dev.duet.planner.PlannedQuery;
import dev.duet.planner.PlannedStatement;
import dev.duet.planner.SqlFrontEnd;
import dev.duet.planner.catalog.CatalogSchema;
import dev.duet.planner.ddl.CreateTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the SQL sessions of one database share: the SQL front end, the plan cache, and the set of
 * open sessions (closed with the database). Created by {@link dev.duet.engine.Duet}; thread-safe.
 *
 * <p>The plan cache maps SQL text to the {@link Prepared} statement last planned for it. An entry
 * is reused only while the catalog a session sees is the very catalog object it was planned
 * against: catalogs are immutable and every DDL commit makes a new one, so identity is the
 * catalog version.
 */
public final class Sessions {
    /** Most statements kept in the plan cache (least recently used ones are dropped). */
    static final int PLAN_CACHE_SIZE = 512;

    private final SqlFrontEnd frontEnd;
    /** Guarded by its own monitor. */
    private final Map<String, Prepared> plans = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Prepared> eldest) {
            return size() > PLAN_CACHE_SIZE;
        }
    };
    private final Set<Session> open = ConcurrentHashMap.newKeySet();
    /** Statements planned by {@link #prepare} (cache misses), for tests of plan reuse. */
    private final AtomicLong planned = new AtomicLong();

    /** Sessions whose planner knows no table sizes (every table is estimated alike). */
    public Sessions() {
        this(CatalogSchema.RowCounts.UNKNOWN);
    }

    /**
     * @param rowCounts table size estimates for the planner's join ordering (the hash join builds
     *     on the side it estimates smaller); read when a statement is planned, so a cached plan
     *     keeps the sizes of its planning
     */
    public Sessions(CatalogSchema.RowCounts rowCounts) {
        this.frontEnd = new SqlFrontEnd(rowCounts);
    }

    SqlFrontEnd frontEnd() {
        return frontEnd;
    }

    /** The prepared statement for {@code sql} (exactly one statement) planned against {@code catalog}. */
    Prepared prepare(String sql, Catalog catalog) {
        Objects.requireNonNull(sql, "sql is null");
        Prepared cached;
        synchronized (plans) {
            cached = plans.get(sql);
        }
        if (cached != null && cached.catalog() == catalog) {
            return cached;
        }
        // planned outside the lock: planning takes milliseconds and sessions must not queue on it
        long start = System.nanoTime();
        PlannedStatement statement = frontEnd.planSingle(sql, catalog);
        Prepared p = prepared(sql, catalog, statement, System.nanoTime() - start);
        planned.incrementAndGet();
        synchronized (plans) {
            plans.put(sql, p);
        }
        return p;
    }

    /** A prepared statement of an already planned statement (not cached). */
    static Prepared prepared(String sql, Catalog catalog, PlannedStatement statement) {
        return prepared(sql, catalog, statement, 0);
    }

    /** As {@link #prepared(String, Catalog, PlannedStatement)}, planned by the front end in {@code planningNanos}. */
    static Prepared prepared(String sql, Catalog catalog, PlannedStatement statement, long planningNanos) {
        if (statement instanceof PlannedExplain e && e.analyze()) {
            // EXPLAIN ANALYZE runs the statement: it takes the statement's parameters
            Prepared explained = prepared(sql, catalog, e.explained(), planningNanos);
            return new Prepared(sql, catalog, statement, explained.parameterTypes(), Session.columnsOf(statement),
                    planningNanos);
        }
        List<dev.duet.core.types.DataType> parameters = new ArrayList<>();
        List<dev.duet.planner.OutputColumn> columns = List.of();
        if (statement instanceof PlannedQuery q) {
            parameters.addAll(q.parameterTypes());
            columns = q.columns();
        } else if (statement instanceof PlannedDml d) {
            parameters.addAll(d.parameterTypes());
        } else if (statement instanceof CreateTable c && c.query() != null) {
            parameters.addAll(c.query().parameterTypes());
        } else if (statement instanceof CopyStatement c && c.to()) {
            parameters.addAll(c.query().parameterTypes());
        } else {
            columns = Session.columnsOf(statement);
        }
        return new Prepared(sql, catalog, statement, parameters, columns, planningNanos);
    }

    /** How many statements {@link #prepare} has planned (cache misses) so far. */
    long plannedStatements() {
        return planned.get();
    }

    /** How many sessions are open now. */
    public int openSessions() {
        return open.size();
    }

    void opened(Session session) {
        open.add(session);
    }

    void closed(Session session) {
        open.remove(session);
    }

    /** Closes every open session (rolling back their transactions); the database calls it when it closes. */
    public void closeAll() {
        for (Session s : List.copyOf(open)) {
            s.close();
        }
    }
}
