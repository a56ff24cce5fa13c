package dev.duet.planner.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.duet.core.DuetException;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.planner.PlannedQuery;
import dev.duet.planner.SqlFrontEnd;
import dev.duet.rowstore.RowStore;
import dev.duet.rowstore.RowStoreOptions;
import dev.duet.rowstore.Transaction;
import java.math.BigDecimal;
import java.sql.Blob;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.calcite.rel.RelNode;

/**
 * The same tables in a Duet row store and an in-memory DuckDB: runs a query on both and compares
 * the row sets (sorted by all columns, the first most significant; or in the order returned, for
 * queries that order), numbers by value
 * (DuckDB's result types may be wider: {@code 12.30} equals {@code 12.3}), doubles with a relative
 * tolerance of 1e-9. Every Duet query runs under its own {@link QueryContext}, closed at the end,
 * which fails if any Arrow memory is left allocated. DuckDB orders NULLs as PostgreSQL (and Duet)
 * does: last in ascending order, first in descending order.
 */
final class DifferentialDatabase implements AutoCloseable {
    private static final HexFormat HEX = HexFormat.of();

    private final RowStore store = RowStore.inMemory(RowStoreOptions.defaults().withFsync(false));
    private final RootAllocator root = new RootAllocator();
    private final SqlFrontEnd frontEnd = new SqlFrontEnd();
    private final Connection duck;
    private int batchSize = dev.duet.core.exec.Operator.DEFAULT_BATCH_SIZE;

    DifferentialDatabase() {
        try {
            duck = DriverManager.getConnection("jdbc:duckdb:");
            try (Statement st = duck.createStatement()) {
                st.execute("SET default_null_order = 'nulls_last_on_asc_first_on_desc'");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates {@code table} in Duet and runs {@code duckDdl} in DuckDB. */
    void createTable(TableDef table, String duckDdl) {
        try (Transaction tx = store.begin()) {
            tx.createTable(table);
            tx.commit();
        }
        duckUpdate(duckDdl);
    }

    /** Inserts the same rows (canonical values, see {@link DataType}) into both. */
    void insert(String table, List<Object[]> rows) {
        TableDef def;
        try (Transaction tx = store.begin()) {
            def = tx.table(table);
            for (Object[] row : rows) {
                tx.insert(table, row);
            }
            tx.commit();
        }
        for (int from = 0; from < rows.size(); from += 500) {
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" VALUES ");
            for (int r = from; r < Math.min(rows.size(), from + 500); r++) {
                Object[] row = rows.get(r);
                sql.append(r == from ? "(" : ", (");
                for (int c = 0; c < row.length; c++) {
                    sql.append(c == 0 ? "" : ", ").append(duckLiteral(def.column(c).type(), row[c]));
                }
                sql.append(')');
            }
            duckUpdate(sql.toString());
        }
    }

    private static String duckLiteral(DataType type, Object v) {
        if (v == null) {
            return "NULL";
        }
        return switch (type.kind()) {
            case BOOLEAN -> v.toString();
            case SMALLINT, INTEGER, BIGINT -> v.toString();
            case REAL -> "CAST('" + v + "' AS REAL)";
            case DOUBLE -> "CAST('" + v + "' AS DOUBLE)";
            case DECIMAL -> "CAST('" + ((BigDecimal) v).toPlainString() + "' AS " + type + ")";
            case VARCHAR -> "'" + ((String) v).replace("'", "''") + "'";
            case DATE -> "DATE '" + v + "'";
            case TIMESTAMP -> "TIMESTAMP '" + v.toString().replace('T', ' ') + "'";
            case BYTEA -> "unhex('" + HEX.formatHex((byte[]) v) + "')";
        };
    }

    void duckUpdate(String sql) {
        try (Statement s = duck.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /**
     * Runs a query in Duet with {@code parameters} bound: plan, execute, drain; asserts the query
     * allocator ends at zero.
     */
    List<Object[]> duet(String sql, Object... parameters) {
        try (Transaction tx = store.begin(true)) {
            PlannedQuery q = (PlannedQuery) frontEnd.planSingle(sql, tx.catalog());
            return run(q.plan(), tx, parameters);
        }
    }

    /**
     * Runs a logical plan (a query's, or the input of a DML statement) in {@code tx} with
     * {@code parameters} bound and returns its rows; asserts the query allocator ends at zero.
     */
    List<Object[]> run(RelNode plan, Transaction tx, Object... parameters) {
        List<Object[]> out = new ArrayList<>();
        QueryContext context = new QueryContext(root, 256L << 20);
        context.setBatchSize(batchSize);
        context.setParameters(parameters);
        try {
            try (Operator op = PhysicalPlanner.plan(plan, context, tx)) {
                for (VectorSchemaRoot batch = op.next(); batch != null; batch = op.next()) {
                    assertEquals(op.columns().size(), batch.getFieldVectors().size());
                    out.addAll(Batches.rows(batch));
                }
            }
        } finally {
            context.close(); // throws if any Arrow memory leaked
        }
        return out;
    }

    /** Rows per batch of the Duet queries that follow. */
    void setBatchSize(int rows) {
        this.batchSize = rows;
    }

    /** The row store (for tests that drive operators themselves). */
    RowStore store() {
        return store;
    }

    RootAllocator allocator() {
        return root;
    }

    SqlFrontEnd frontEnd() {
        return frontEnd;
    }

    /** Runs a query in Duet that must fail; returns the error (after checking nothing leaked). */
    DuetException duetError(String sql, Object... parameters) {
        return assertThrows(DuetException.class, () -> duet(sql, parameters), sql);
    }

    /** Runs a query in DuckDB; values in Duet's canonical classes where they have one. */
    List<Object[]> duck(String sql) {
        List<Object[]> out = new ArrayList<>();
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int c = 0; c < n; c++) {
                    String type = md.getColumnTypeName(c + 1);
                    Object v;
                    if (type.equals("DATE")) {
                        v = rs.getObject(c + 1, LocalDate.class);
                    } else if (type.startsWith("TIMESTAMP")) {
                        v = rs.getObject(c + 1, LocalDateTime.class);
                    } else if (type.equals("BLOB")) {
                        Blob b = rs.getBlob(c + 1);
                        v = b == null ? null : b.getBytes(1, (int) b.length());
                    } else {
                        v = rs.getObject(c + 1);
                    }
                    row[c] = v;
                }
                out.add(row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
        return out;
    }

    /** Runs the same query text on both and compares. */
    void check(String sql) {
        check(sql, sql);
    }

    /** Runs {@code duetSql} on Duet and {@code duckSql} on DuckDB and compares the row sets. */
    void check(String duetSql, String duckSql) {
        compare(duetSql, sorted(duck(duckSql)), sorted(duet(duetSql)));
    }

    /** Runs {@code duetSql} with {@code parameters} bound on Duet, {@code duckSql} on DuckDB, and compares the row sets. */
    void checkWithParameters(String duetSql, String duckSql, Object... parameters) {
        compare(duetSql, sorted(duck(duckSql)), sorted(duet(duetSql, parameters)));
    }

    /** Runs an ordering query on both and compares the rows in the order returned. */
    void checkOrdered(String sql) {
        compare(sql, duck(sql), duet(sql));
    }

    private static void compare(String duetSql, List<Object[]> expected, List<Object[]> actual) {
        if (expected.size() != actual.size()) {
            fail(duetSql + ": DuckDB returned " + expected.size() + " rows, Duet " + actual.size());
        }
        for (int r = 0; r < expected.size(); r++) {
            Object[] e = expected.get(r);
            Object[] a = actual.get(r);
            if (e.length != a.length) {
                fail(duetSql + ": DuckDB returned " + e.length + " columns, Duet " + a.length);
            }
            for (int c = 0; c < e.length; c++) {
                if (!OracleValues.same(e[c], a[c])) {
                    fail(duetSql + "\nrow " + Arrays.toString(show(a)) + "\ncolumn " + (c + 1) + ": DuckDB " + show(e[c])
                            + ", Duet " + show(a[c]) + "\nDuckDB row " + Arrays.toString(show(e)));
                }
            }
        }
    }

    private static Object[] show(Object[] row) {
        Object[] out = new Object[row.length];
        for (int i = 0; i < row.length; i++) {
            out[i] = show(row[i]);
        }
        return out;
    }

    private static Object show(Object v) {
        return v instanceof byte[] b ? "\\x" + HEX.formatHex(b) : v;
    }

    private static List<Object[]> sorted(List<Object[]> rows) {
        List<Object[]> out = new ArrayList<>(rows);
        out.sort(DifferentialDatabase::compareRows);
        return out;
    }

    /** Column by column: NULL first, numbers by value (whatever their Java class), the rest by text. */
    private static int compareRows(Object[] a, Object[] b) {
        for (int c = 0; c < Math.min(a.length, b.length); c++) {
            Object x = a[c];
            Object y = b[c];
            int cmp;
            if (x == null || y == null) {
                cmp = x == null ? (y == null ? 0 : -1) : 1;
            } else if (x instanceof Number && y instanceof Number) {
                cmp = OracleValues.decimal(x).compareTo(OracleValues.decimal(y));
            } else {
                cmp = String.valueOf(show(x)).compareTo(String.valueOf(show(y)));
            }
            if (cmp != 0) {
                return cmp;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    @Override
    public void close() {
        try {
            duck.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            store.close();
            root.close();
        }
    }
}
