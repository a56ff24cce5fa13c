package dev.duet.cli;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A result laid out as psql's aligned format: an optional centred title, a centred header, a
 * separator line of dashes and pluses, the rows (numbers right-aligned, everything else
 * left-aligned, NULL as an empty cell), and {@code (N rows)}. Trailing blanks are cut from every
 * line. Values are rendered as PostgreSQL prints them where JDBC's {@code toString} differs
 * (booleans {@code t}/{@code f}, decimals without exponent, timestamps with a space and
 * without trailing zeros in the fraction, bytea as {@code \x} hex).
 */
final class ResultTable {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private final String title;
    private final List<String> headers;
    private final boolean[] rightAligned;
    private final List<String[]> rows = new ArrayList<>();

    /**
     * @param title shown centred above the table, or null
     * @param rightAligned per column: true for numeric columns
     */
    ResultTable(String title, List<String> headers, boolean[] rightAligned) {
        this.title = title;
        this.headers = List.copyOf(headers);
        if (rightAligned.length != headers.size()) {
            throw new IllegalArgumentException(headers.size() + " headers but " + rightAligned.length + " alignments");
        }
        this.rightAligned = rightAligned.clone();
    }

    /** Adds a row of already rendered cells; null is an empty cell. */
    void addRow(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(headers.size() + " columns but a row of " + cells.length);
        }
        rows.add(cells.clone());
    }

    int rowCount() {
        return rows.size();
    }

    /** Reads the whole result set (it is not closed here). */
    static ResultTable of(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        List<String> headers = new ArrayList<>(n);
        boolean[] right = new boolean[n];
        for (int i = 1; i <= n; i++) {
            headers.add(meta.getColumnLabel(i));
            right[i - 1] = isNumeric(meta.getColumnType(i));
        }
        ResultTable table = new ResultTable(null, headers, right);
        while (rs.next()) {
            String[] cells = new String[n];
            for (int i = 1; i <= n; i++) {
                cells[i - 1] = render(rs.getObject(i));
            }
            table.rows.add(cells);
        }
        return table;
    }

    static boolean isNumeric(int sqlType) {
        switch (sqlType) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.REAL, Types.FLOAT,
                    Types.DOUBLE, Types.DECIMAL, Types.NUMERIC:
                return true;
            default:
                return false;
        }
    }

    /** A value as PostgreSQL prints it; null for SQL NULL. */
    static String render(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean b) {
            return b ? "t" : "f";
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Timestamp t) {
            return render(t.toLocalDateTime());
        }
        if (value instanceof LocalDateTime t) {
            String text = SECONDS.format(t);
            if (t.getNano() == 0) {
                return text;
            }
            String fraction = String.format(Locale.ROOT, "%09d", t.getNano());
            return text + "." + fraction.replaceFirst("0+$", "");
        }
        if (value instanceof byte[] bytes) {
            StringBuilder sb = new StringBuilder(2 + 2 * bytes.length).append("\\x");
            for (byte b : bytes) {
                sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return sb.toString();
        }
        return value.toString();
    }

    void print(PrintStream out) {
        int n = headers.size();
        int[] width = new int[n];
        for (int c = 0; c < n; c++) {
            width[c] = headers.get(c).length();
            for (String[] row : rows) {
                width[c] = Math.max(width[c], Objects.requireNonNullElse(row[c], "").length());
            }
        }
        if (title != null) {
            int total = n - 1;
            for (int w : width) {
                total += w + 2;
            }
            out.println(stripTrailing(pad(title, Math.max(total, title.length()), Align.CENTER)));
        }
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < n; c++) {
            line.append(c == 0 ? " " : " | ").append(pad(headers.get(c), width[c], Align.CENTER));
        }
        out.println(stripTrailing(line));
        line.setLength(0);
        for (int c = 0; c < n; c++) {
            line.append(c == 0 ? "" : "+").append("-".repeat(width[c] + 2));
        }
        out.println(line);
        for (String[] row : rows) {
            line.setLength(0);
            for (int c = 0; c < n; c++) {
                line.append(c == 0 ? " " : " | ").append(pad(Objects.requireNonNullElse(row[c], ""), width[c],
                        rightAligned[c] ? Align.RIGHT : Align.LEFT));
            }
            out.println(stripTrailing(line));
        }
        out.println(rows.size() == 1 ? "(1 row)" : "(" + rows.size() + " rows)");
    }

    private enum Align { LEFT, CENTER, RIGHT }

    private static String pad(String s, int width, Align align) {
        int gap = width - s.length();
        if (gap <= 0) {
            return s;
        }
        return switch (align) {
            case LEFT -> s + " ".repeat(gap);
            case RIGHT -> " ".repeat(gap) + s;
            case CENTER -> " ".repeat(gap / 2) + s + " ".repeat(gap - gap / 2);
        };
    }

    private static String stripTrailing(CharSequence s) {
        return s.toString().stripTrailing();
    }
}
