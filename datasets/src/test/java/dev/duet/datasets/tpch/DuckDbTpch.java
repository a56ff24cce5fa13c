package dev.duet.datasets.tpch;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The oracle side of differential tests: loads TPC-H into DuckDB with the same
 * {@link TpchSchema} DDL and the same {@link TpchGenerator} rows that {@link TpchLoader} puts into
 * Duet, through DuckDB's Appender (about a million rows a second). Published in this module's
 * test-jar; a user adds {@code duet-datasets} with {@code <type>test-jar</type>} and
 * {@code duckdb_jdbc}, both in test scope.
 *
 * <pre>{@code
 * try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
 *     DuckDbTpch.load(duck, 0.01);
 * }
 * }</pre>
 */
public final class DuckDbTpch {
    private DuckDbTpch() {
    }

    /**
     * Creates the eight tables in DuckDB's default schema of {@code duckdb} (a DuckDB connection,
     * autocommit on) and appends all rows at {@code scaleFactor}; returns rows per table in load
     * order. Fails if a table exists already. Each table gets its primary key after its rows:
     * appending through DuckDB's incrementally maintained key index is about 20 times slower.
     */
    public static Map<String, Long> load(Connection duckdb, double scaleFactor) throws SQLException {
        Objects.requireNonNull(duckdb, "duckdb is null");
        TpchGenerator.checkScaleFactor(scaleFactor);
        DuckDBConnection conn = duckdb.unwrap(DuckDBConnection.class);
        try (Statement st = conn.createStatement()) {
            for (TableDef t : TpchSchema.tables()) {
                st.execute(TpchSchema.createTableSql(t, false));
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (TableDef t : TpchSchema.tables()) {
            counts.put(t.name(), append(conn, t, TpchGenerator.rows(t.name(), scaleFactor)));
            try (Statement st = conn.createStatement()) {
                st.execute(TpchSchema.addPrimaryKeySql(t));
            }
        }
        return counts;
    }

    /** Appends {@code rows} (canonical values in column order) to the DuckDB table {@code table}. */
    public static long append(DuckDBConnection conn, TableDef table, Iterable<Object[]> rows) throws SQLException {
        DataType[] types = table.columnTypes();
        long count = 0;
        try (DuckDBAppender appender = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, table.name())) {
            for (Object[] row : rows) {
                appender.beginRow();
                for (int i = 0; i < types.length; i++) {
                    appendValue(appender, types[i], row[i]);
                }
                appender.endRow();
                count++;
            }
        }
        return count;
    }

    private static void appendValue(DuckDBAppender appender, DataType type, Object value) throws SQLException {
        if (value == null) {
            appender.appendNull();
            return;
        }
        switch (type.kind()) {
            case BOOLEAN -> appender.append((boolean) (Boolean) value);
            case SMALLINT -> appender.append((short) (Short) value);
            case INTEGER -> appender.append((int) (Integer) value);
            case BIGINT -> appender.append((long) (Long) value);
            case REAL -> appender.append((float) (Float) value);
            case DOUBLE -> appender.append((double) (Double) value);
            case DECIMAL -> appender.append((BigDecimal) value);
            case VARCHAR -> appender.append((String) value);
            case DATE -> appender.append((LocalDate) value);
            case TIMESTAMP -> appender.append((LocalDateTime) value);
            case BYTEA -> appender.appendByteArray((byte[]) value);
        }
    }
}
