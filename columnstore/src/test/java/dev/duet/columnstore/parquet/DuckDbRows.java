package dev.duet.columnstore.parquet;

import dev.duet.core.types.DataType;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * DuckDB query results as canonical Duet values (see DataType), and a rendering of rows for
 * assertions. Shared with the engine's tests through this module's test-jar.
 */
public final class DuckDbRows {
    private DuckDbRows() {
    }

    /** Rows of {@code sql}, each value read as the canonical Java form of {@code types[i]}. */
    public static List<Object[]> query(Connection duck, String sql, List<DataType> types) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                Object[] row = new Object[types.size()];
                for (int c = 0; c < row.length; c++) {
                    row[c] = value(rs, c + 1, types.get(c));
                }
                out.add(row);
            }
        }
        return out;
    }

    private static Object value(ResultSet rs, int i, DataType t) throws SQLException {
        Object v = switch (t.kind()) {
            case BOOLEAN -> rs.getBoolean(i);
            case SMALLINT -> rs.getShort(i);
            case INTEGER -> rs.getInt(i);
            case BIGINT -> rs.getLong(i);
            case REAL -> rs.getFloat(i);
            case DOUBLE -> rs.getDouble(i);
            case DECIMAL -> rs.getBigDecimal(i);
            case VARCHAR -> rs.getString(i);
            case DATE -> rs.getObject(i, LocalDate.class);
            case TIMESTAMP -> rs.getObject(i, LocalDateTime.class);
            case BYTEA -> rs.getBytes(i);
        };
        return rs.wasNull() ? null : v;
    }

    /** DuckDB's column types of {@code sql}, as DESCRIBE prints them. */
    public static List<String> types(Connection duck, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE " + sql)) {
            while (rs.next()) {
                out.add(rs.getString("column_type"));
            }
        }
        return out;
    }

    /** A row rendered so that equal SQL values render alike (decimals with their scale, bytes in hex). */
    public static String render(Object[] row) {
        StringBuilder sb = new StringBuilder();
        for (Object v : row) {
            if (sb.length() > 0) {
                sb.append(" | ");
            }
            sb.append(render(v));
        }
        return sb.toString();
    }

    public static String render(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof byte[] b) {
            return "\\x" + HexFormat.of().formatHex(b);
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Float f) {
            return "f" + Float.floatToIntBits(f);
        }
        if (v instanceof Double d) {
            return "d" + Double.doubleToLongBits(d);
        }
        return v.getClass().getSimpleName() + ":" + v;
    }

    public static List<String> render(List<Object[]> rows) {
        return rows.stream().map(DuckDbRows::render).toList();
    }
}
