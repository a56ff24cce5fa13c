package dev.duet.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The statement kinds: one {@code duet.statements} counter each. */
final class PlannedStatementKinds {
    static final int COUNT = dev.duet.planner.PlannedStatement.Kind.values().length;

    private PlannedStatementKinds() {
    }
}

/** The database's Micrometer meters move as statements run through JDBC, and leave with the database. */
class DuetMetricsTest {
    @TempDir
    Path dir;

    private static Search duet(MeterRegistry registry, String name, Duet db) {
        return registry.find(name).tag(DuetMetrics.DATABASE_TAG, db.metrics().database());
    }

    private static double statements(Duet db, String kind) {
        return duet(db.meterRegistry(), "duet.statements", db).tag("kind", kind).counter().count();
    }

    private static double transactions(Duet db, String outcome) {
        return duet(db.meterRegistry(), "duet.transactions", db).tag("outcome", outcome).counter().count();
    }

    private static double errors(Duet db, String sqlClass) {
        var c = duet(db.meterRegistry(), "duet.statement.errors", db).tag("sqlstate_class", sqlClass).counter();
        return c == null ? 0 : c.count();
    }

    private static long statementTimes(Duet db) {
        return duet(db.meterRegistry(), "duet.statement.time", db).timer().count();
    }

    @Test
    void countersMoveAsStatementsRunThroughJdbc() throws SQLException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Duet db = Duet.open(dir.resolve("db"), DuetConfig.defaults().withMeterRegistry(registry))) {
            assertSame(registry, db.meterRegistry());
            double walBefore = duet(registry, "duet.wal.written", db).functionCounter().count();
            double fsyncsBefore = duet(registry, "duet.wal.fsyncs", db).functionCounter().count();
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                assertEquals(1.0, duet(registry, "duet.sessions.open", db).gauge().value());
                double ddl = statements(db, "ddl");
                double dml = statements(db, "dml");
                double query = statements(db, "query");
                double commits = transactions(db, "commit");
                double rollbacks = transactions(db, "rollback");
                long times = statementTimes(db);

                st.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v INT)");
                st.executeUpdate("INSERT INTO t VALUES (1, 10), (2, 20), (3, 0)");
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
                    for (int i = 4; i < 9; i++) {
                        ps.setLong(1, i);
                        ps.setInt(2, i);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                assertEquals(ddl + 1, statements(db, "ddl"));
                assertEquals(dml + 6, statements(db, "dml"));
                assertEquals(commits + 3, transactions(db, "commit")); // CREATE, INSERT, the batch
                assertEquals(times + 3, statementTimes(db), "a batch run as one bulk commit is timed once");

                try (ResultSet rs = st.executeQuery("SELECT id, v FROM t ORDER BY id")) {
                    int n = 0;
                    while (rs.next()) {
                        n++;
                    }
                    assertEquals(8, n);
                }
                assertEquals(query + 1, statements(db, "query"));
                assertEquals(times + 4, statementTimes(db), "a query's time is recorded once its rows ended");
                var peak = duet(registry, "duet.query.memory.peak", db).summary();
                assertTrue(peak.count() > 0 && peak.max() > 0, () -> peak.count() + " " + peak.max());

                double division = errors(db, "22");
                double syntax = errors(db, "42");
                assertThrows(SQLException.class, () -> {
                    try (ResultSet rs = st.executeQuery("SELECT id / v FROM t")) {
                        while (rs.next()) {
                            rs.getLong(1);
                        }
                    }
                });
                assertThrows(SQLException.class, () -> st.execute("SELEC 1"));
                assertEquals(division + 1, errors(db, "22"));
                assertEquals(syntax + 1, errors(db, "42"));
                assertEquals(rollbacks, transactions(db, "rollback"), "a failed read-only query rolls back no writes");

                assertThrows(SQLException.class, () -> st.executeUpdate("INSERT INTO t VALUES (1, 1)"));
                assertEquals(rollbacks + 1, transactions(db, "rollback"));
                assertEquals(1, errors(db, "23"));

                c.setAutoCommit(false);
                st.executeUpdate("UPDATE t SET v = v + 1");
                c.rollback();
                st.executeUpdate("DELETE FROM t WHERE id = 8");
                c.commit();
                c.setAutoCommit(true);
                assertEquals(rollbacks + 2, transactions(db, "rollback"));
                assertEquals(commits + 4, transactions(db, "commit"));
                db.columnStore().awaitWatermark(db.rowStore().lastCommitTimestamp(), java.time.Duration.ofMinutes(1));
                assertEquals(1.0, duet(registry, "duet.columnstore.keymaps.built", db).functionCounter().count(),
                        "the DELETE built t's key map; its INSERTs needed none");
            }
            assertEquals(0.0, duet(registry, "duet.sessions.open", db).gauge().value());
            assertTrue(duet(registry, "duet.wal.written", db).functionCounter().count() > walBefore);
            assertTrue(duet(registry, "duet.wal.fsyncs", db).functionCounter().count() > fsyncsBefore);
        }
    }

    @Test
    void defaultRegistryIsOnePerDatabase() throws SQLException {
        try (Duet a = Duet.inMemory(); Duet b = Duet.inMemory()) {
            assertInstanceOf(SimpleMeterRegistry.class, a.meterRegistry());
            assertNotSame(a.meterRegistry(), b.meterRegistry());
            try (Connection c = a.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t (x INT)");
                st.execute("EXPLAIN SELECT x FROM t");
                st.execute("SET statement_timeout = 0");
            }
            assertEquals(1.0, statements(a, "explain"));
            assertEquals(1.0, statements(a, "utility"));
            assertEquals(0.0, statements(b, "ddl"));
            assertEquals(0.0, duet(a.meterRegistry(), "duet.wal.written", a).functionCounter().count(),
                    "an in-memory database writes no log");
        }
    }

    @Test
    void metersLeaveTheRegistryWhenTheDatabaseCloses() throws SQLException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DuetConfig config = DuetConfig.defaults().withMeterRegistry(registry);
        Duet staying = Duet.inMemory(config);
        try {
            try (Duet db = Duet.inMemory(config)) {
                try (Connection c = db.connect(); Statement st = c.createStatement()) {
                    assertThrows(SQLException.class, () -> st.execute("SELECT * FROM missing")); // an error counter too
                }
                assertEquals(PlannedStatementKinds.COUNT, registry.find("duet.statements")
                        .tag(DuetMetrics.DATABASE_TAG, db.metrics().database()).meters().size());
                assertTrue(registry.getMeters().stream().anyMatch(m -> m.getId().getName().equals("duet.statement.errors")));
                db.close();
                assertTrue(registry.getMeters().stream()
                        .noneMatch(m -> db.metrics().database().equals(m.getId().getTag(DuetMetrics.DATABASE_TAG))),
                        () -> registry.getMetersAsString());
            }
            // the other database's meters stay, and the registry stays open for the user
            assertNotNull(duet(registry, "duet.statements", staying).tag("kind", "query").counter());
            assertTrue(!registry.isClosed());
        } finally {
            staying.close();
        }
        assertTrue(registry.getMeters().isEmpty(), registry::getMetersAsString);
        Duet own = Duet.inMemory();
        MeterRegistry ownRegistry = own.meterRegistry();
        own.close();
        assertTrue(ownRegistry.isClosed(), "a registry Duet made is closed with the database");
        assertTrue(ownRegistry.getMeters().isEmpty());
    }
}
