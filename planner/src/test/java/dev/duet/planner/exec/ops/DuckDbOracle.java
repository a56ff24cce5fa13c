package dev.duet.planner.exec.ops;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.types.DataType;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** An in-memory DuckDB holding the same rows as a test's input, to run the equivalent SQL on. */
final class DuckDbOracle implements AutoCloseable {
    private final Connection connection;

    DuckDbOracle() throws SQLException {
        connection = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = connection.createStatement()) {
            s.execute("SET threads = 1");
        }
    }

    static String sqlType(DataType t) {
        return switch (t.kind()) {
            case BOOLEAN -> "BOOLEAN";
            case SMALLINT -> "SMALLINT";
            case INTEGER -> "INTEGER";
            case BIGINT -> "BIGINT";
            case REAL -> "REAL";
            case DOUBLE -> "DOUBLE";
            case DECIMAL -> "DECIMAL(" + t.precision() + "," + t.scale() + ")";
            case VARCHAR -> "VARCHAR";
            case DATE -> "DATE";
            case TIMESTAMP -> "TIMESTAMP";
            case BYTEA -> "BLOB";
        };
    }

    /** Creates {@code table} with these columns and appends the rows. */
    void load(String table, List<BatchColumn> columns, List<Object[]> rows) throws SQLException {
        StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(table).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            ddl.append(i == 0 ? "" : ", ").append('"').append(columns.get(i).name()).append("\" ")
                    .append(sqlType(columns.get(i).type()));
        }
        try (Statement s = connection.createStatement()) {
            s.execute(ddl.append(')').toString());
        }
        try (DuckDBAppender a = ((DuckDBConnection) connection).createAppender(DuckDBConnection.DEFAULT_SCHEMA, table)) {
            for (Object[] row : rows) {
                a.beginRow();
                for (int c = 0; c < row.length; c++) {
                    Object v = row[c];
                    if (v == null) {
                        a.appendNull();
                        continue;
                    }
                    switch (columns.get(c).type().kind()) {
                        case BOOLEAN -> a.append((boolean) (Boolean) v);
                        case SMALLINT -> a.append((short) (Short) v);
                        case INTEGER -> a.append((int) (Integer) v);
                        case BIGINT -> a.append((long) (Long) v);
                        case REAL -> a.append((float) (Float) v);
                        case DOUBLE -> a.append((double) (Double) v);
                        case DECIMAL -> a.append((BigDecimal) v);
                        case VARCHAR -> a.append((String) v);
                        case DATE -> a.append((LocalDate) v);
                        case TIMESTAMP -> a.append((LocalDateTime) v);
                        case BYTEA -> a.append((byte[]) v);
                    }
                }
                a.endRow();
            }
        }
    }

    /** Runs {@code sql} and returns its rows, each value read as the Duet type of its column. */
    List<Object[]> query(String sql, List<DataType> types) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            if (n != types.size()) {
                throw new IllegalArgumentException("query has " + n + " columns, " + types.size() + " types given");
            }
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int c = 0; c < n; c++) {
                    row[c] = read(rs, c + 1, types.get(c));
                }
                out.add(row);
            }
        }
        return out;
    }

    private static Object read(ResultSet rs, int i, DataType type) throws SQLException {
        Object v = switch (type.kind()) {
            case BOOLEAN -> rs.getBoolean(i);
            case SMALLINT, INTEGER, BIGINT, DECIMAL -> rs.getBigDecimal(i);
            case REAL, DOUBLE -> rs.getDouble(i);
            case VARCHAR -> rs.getString(i);
            case DATE -> rs.getObject(i, LocalDate.class);
            case TIMESTAMP -> rs.getObject(i, LocalDateTime.class);
            case BYTEA -> rs.getBytes(i);
        };
        return rs.wasNull() ? null : v;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
