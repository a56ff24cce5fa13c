package dev.duet.planner.exec.join;

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

/**
 * The oracle of the differential tests: an in-memory DuckDB into which the tests load the very
 * rows they give the operators (through DuckDB's Appender), and whose answers to the equivalent SQL
 * come back as normalized rows ({@link OperatorTestBase#normalize}).
 */
final class DuckDbOracle implements AutoCloseable {
    private final DuckDBConnection conn;

    DuckDbOracle() throws SQLException {
        this.conn = DriverManager.getConnection("jdbc:duckdb:").unwrap(DuckDBConnection.class);
    }

    /** Creates (or replaces) table {@code name} with {@code columns} and appends {@code rows}. */
    void load(String name, List<BatchColumn> columns, List<Object[]> rows) throws SQLException {
        StringBuilder ddl = new StringBuilder("CREATE OR REPLACE TABLE ").append(name).append(" (");
        for (int c = 0; c < columns.size(); c++) {
            ddl.append(c == 0 ? "" : ", ").append(columns.get(c).name()).append(' ').append(sqlType(columns.get(c).type()));
        }
        try (Statement st = conn.createStatement()) {
            st.execute(ddl.append(')').toString());
        }
        try (DuckDBAppender appender = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, name)) {
            for (Object[] row : rows) {
                appender.beginRow();
                for (int c = 0; c < row.length; c++) {
                    append(appender, columns.get(c).type(), row[c]);
                }
                appender.endRow();
            }
        }
    }

    /** The rows of {@code sql}, read as {@code types}. */
    List<List<Object>> query(String sql, List<DataType> types) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (rs.getMetaData().getColumnCount() != types.size()) {
                throw new IllegalStateException(sql + " has " + rs.getMetaData().getColumnCount() + " columns, expected " + types.size());
            }
            while (rs.next()) {
                Object[] row = new Object[types.size()];
                for (int c = 0; c < row.length; c++) {
                    row[c] = read(rs, c + 1, types.get(c));
                }
                out.add(OperatorTestBase.normalize(row));
            }
        }
        return out;
    }

    static List<DataType> types(List<BatchColumn> columns) {
        List<DataType> out = new ArrayList<>();
        for (BatchColumn c : columns) {
            out.add(c.type());
        }
        return out;
    }

    private static String sqlType(DataType t) {
        return switch (t.kind()) {
            case DECIMAL -> "DECIMAL(" + t.precision() + "," + t.scale() + ")";
            case VARCHAR -> "VARCHAR";
            case BYTEA -> "BLOB";
            case TIMESTAMP -> "TIMESTAMP";
            default -> t.kind().name();
        };
    }

    private static void append(DuckDBAppender appender, DataType type, Object value) throws SQLException {
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
            case BYTEA -> appender.append((byte[]) value); // appendByteArray is for ARRAY columns
        }
    }

    private static Object read(ResultSet rs, int column, DataType type) throws SQLException {
        if (rs.getObject(column) == null) {
            return null;
        }
        return switch (type.kind()) {
            case BOOLEAN -> rs.getBoolean(column);
            case SMALLINT -> rs.getShort(column);
            case INTEGER -> rs.getInt(column);
            case BIGINT -> rs.getLong(column);
            case REAL -> rs.getFloat(column);
            case DOUBLE -> rs.getDouble(column);
            case DECIMAL -> rs.getBigDecimal(column);
            case VARCHAR -> rs.getString(column);
            case DATE -> rs.getObject(column, LocalDate.class);
            case TIMESTAMP -> rs.getObject(column, LocalDateTime.class);
            case BYTEA -> rs.getBytes(column);
        };
    }

    @Override
    public void close() throws SQLException {
        conn.close();
    }
}
