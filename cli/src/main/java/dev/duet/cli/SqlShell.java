package dev.duet.cli;

import dev.duet.planner.parse.SourceText;
import dev.duet.planner.parse.StatementSplitter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An interactive SQL shell over one JDBC {@link Connection}, in the manner of psql: statements end
 * with {@code ;} and may span lines (a semicolon inside a string, a quoted identifier or a comment
 * does not end one; {@link StatementSplitter} finds the ends); query results print as aligned
 * tables ({@link ResultTable}), other statements as their command tag ({@code INSERT 0 3},
 * {@code CREATE TABLE}); a failed statement prints {@code ERROR: message (SQLSTATE xxxxx)} on the
 * error stream and the shell goes on. Backslash commands, at the start of a statement only:
 * {@code \q}, {@code \timing [on|off]}, {@code \d} and {@code \d NAME}, {@code \?}. At the end of
 * input an unterminated statement is run as if it had its semicolon.
 */
final class SqlShell {
    private static final String PROMPT = "duet=> ";
    private static final String CONTINUATION = "duet-> ";

    private final Connection connection;
    private final PrintStream out;
    private final PrintStream err;
    private boolean timing;
    private int errors;

    /** Output goes to {@code out}, errors to {@code err}; the connection stays the caller's. */
    SqlShell(Connection connection, PrintStream out, PrintStream err) {
        this.connection = Objects.requireNonNull(connection, "connection is null");
        this.out = Objects.requireNonNull(out, "out is null");
        this.err = Objects.requireNonNull(err, "err is null");
    }

    void setTiming(boolean on) {
        timing = on;
    }

    /** Statements that failed so far (a failed backslash command counts too). */
    int errors() {
        return errors;
    }

    /**
     * Reads and runs statements until the end of input or {@code \q}. With {@code prompt}, prints
     * a prompt before each line (for a terminal).
     */
    void run(BufferedReader in, boolean prompt) throws IOException {
        StringBuilder pending = new StringBuilder();
        while (true) {
            if (prompt) {
                out.print(isBlank(pending) ? PROMPT : CONTINUATION);
                out.flush();
            }
            String line = in.readLine();
            if (line == null) {
                break;
            }
            if (isBlank(pending) && line.strip().startsWith("\\")) {
                pending.setLength(0);
                if (!metaCommand(line.strip())) {
                    return;
                }
                continue;
            }
            pending.append(line).append('\n');
            String rest = runComplete(pending.toString());
            pending.setLength(0);
            pending.append(rest);
        }
        runAll(pending.toString());
    }

    /** Runs every statement of {@code sql}, terminated or not (for {@code -c}). */
    void runAll(String sql) {
        for (SourceText s : StatementSplitter.split(sql)) {
            if (!isBlank(s.text())) {
                execute(s.text());
            }
        }
    }

    /** Runs the statements of {@code buffer} that are terminated by a semicolon; returns the rest. */
    private String runComplete(String buffer) {
        int consumed = 0;
        for (SourceText s : StatementSplitter.split(buffer)) {
            int i = s.end();
            while (i < buffer.length() && Character.isWhitespace(buffer.charAt(i))) {
                i++;
            }
            if (i == buffer.length() || buffer.charAt(i) != ';') {
                break;
            }
            if (!isBlank(s.text())) {
                execute(s.text());
            }
            consumed = i + 1;
        }
        return buffer.substring(consumed);
    }

    /** True if {@code sql} holds nothing but white space and comments. */
    static boolean isBlank(CharSequence sql) {
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.toString().indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else {
                return false;
            }
        }
        return true;
    }

    /** Runs one statement (without its semicolon) and prints its result or error. */
    void execute(String sql) {
        long start = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            boolean isQuery = statement.execute(sql);
            for (boolean first = true; ; first = false) {
                if (isQuery) {
                    try (ResultSet rs = statement.getResultSet()) {
                        ResultTable.of(rs).print(out);
                        out.println(); // psql's blank line after a result
                    }
                } else {
                    int count = statement.getUpdateCount();
                    // Some drivers report DDL as "no update count" (-1): still a statement that ran.
                    if (count == -1 && !first) {
                        break;
                    }
                    out.println(commandTag(sql, Math.max(count, 0)));
                }
                isQuery = statement.getMoreResults();
            }
        } catch (SQLException e) {
            error(e);
        } catch (RuntimeException e) {
            // A driver bug must not end the user's session; say what it was.
            errors++;
            err.println("ERROR: " + e + " (SQLSTATE XX000)");
        }
        printTime(start);
    }

    private void printTime(long start) {
        if (timing) {
            out.printf(Locale.ROOT, "Time: %.3f ms%n", (System.nanoTime() - start) / 1e6);
        }
    }

    private void error(SQLException e) {
        errors++;
        err.println(errorLine(e));
    }

    /** {@code ERROR: message (SQLSTATE xxxxx)}, as psql reports an error. */
    static String errorLine(SQLException e) {
        String state = e.getSQLState();
        return "ERROR: " + e.getMessage() + (state == null ? "" : " (SQLSTATE " + state + ")");
    }

    /**
     * The PostgreSQL command tag of a statement that returned no rows: {@code INSERT 0 n},
     * {@code UPDATE n}, {@code DELETE n}, {@code CREATE TABLE}, {@code DROP INDEX}, {@code BEGIN}.
     */
    static String commandTag(String sql, int count) {
        List<String> words = leadingWords(sql, 4);
        if (words.isEmpty()) {
            return "OK";
        }
        String first = words.get(0);
        switch (first) {
            case "INSERT":
                return "INSERT 0 " + count;
            case "UPDATE", "DELETE", "MERGE", "COPY", "MOVE", "FETCH":
                return first + " " + count;
            case "CREATE", "DROP", "ALTER":
                for (String w : words.subList(1, words.size())) {
                    if (!w.equals("OR") && !w.equals("REPLACE") && !w.equals("UNIQUE") && !w.equals("TEMPORARY")
                            && !w.equals("TEMP")) {
                        return first + " " + w;
                    }
                }
                return first;
            case "START":
                return "START TRANSACTION";
            default:
                return first;
        }
    }

    /** Up to {@code max} leading words of {@code sql}, upper case, after any comments. */
    private static List<String> leadingWords(String sql, int max) {
        List<String> words = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n && words.size() < max) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else if (Character.isLetter(c)) {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
                    i++;
                }
                words.add(sql.substring(start, i).toUpperCase(Locale.ROOT));
            } else if (Character.isWhitespace(c)) {
                i++;
            } else {
                break;
            }
        }
        return words;
    }

    /** Runs a backslash command; false for {@code \q}. */
    private boolean metaCommand(String line) {
        String[] parts = line.substring(1).strip().split("\\s+", 2);
        String command = parts[0];
        String arg = parts.length > 1 ? parts[1].strip() : "";
        if (arg.endsWith(";")) {
            arg = arg.substring(0, arg.length() - 1).strip();
        }
        switch (command) {
            case "q":
            case "quit":
                return false;
            case "timing":
                if (arg.isEmpty()) {
                    timing = !timing;
                } else if (arg.equalsIgnoreCase("on") || arg.equalsIgnoreCase("off")) {
                    timing = arg.equalsIgnoreCase("on");
                } else {
                    errors++;
                    err.println("\\timing: unrecognized value \"" + arg + "\": Boolean expected");
                    return true;
                }
                out.println("Timing is " + (timing ? "on." : "off."));
                return true;
            case "d":
            case "dt":
                long start = System.nanoTime();
                try {
                    if (arg.isEmpty()) {
                        listTables();
                    } else {
                        describe(arg);
                    }
                } catch (SQLException e) {
                    error(e);
                }
                printTime(start);
                return true;
            case "?":
            case "h":
            case "help":
                help();
                return true;
            default:
                errors++;
                err.println("invalid command \\" + command + "; try \\? for help.");
                return true;
        }
    }

    private void help() {
        out.println("SQL statements end with ';' and may span lines.");
        out.println("  \\d              list tables");
        out.println("  \\d NAME         describe table NAME");
        out.println("  \\timing [on|off] toggle or set the time shown after each statement");
        out.println("  \\q              quit");
    }

    private void listTables() throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        ResultTable table = new ResultTable("List of relations", List.of("Schema", "Name", "Type"),
                new boolean[3]);
        try (ResultSet rs = meta.getTables(null, null, "%", null)) {
            while (rs.next()) {
                String type = rs.getString("TABLE_TYPE");
                if (type != null && type.toUpperCase(Locale.ROOT).contains("SYSTEM")) {
                    continue;
                }
                table.addRow(rs.getString("TABLE_SCHEM"), rs.getString("TABLE_NAME"),
                        type == null ? null : type.toLowerCase(Locale.ROOT));
            }
        }
        if (table.rowCount() == 0) {
            out.println("Did not find any relations.");
        } else {
            table.print(out);
            out.println();
        }
    }

    private void describe(String name) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String schema = null;
        String tableName = unquote(name);
        int dot = name.indexOf('.');
        if (dot > 0) {
            schema = unquote(name.substring(0, dot));
            tableName = unquote(name.substring(dot + 1));
        }
        ResultTable columns = describeColumns(meta, schema, tableName);
        if (columns == null && !name.contains("\"")) {
            columns = describeColumns(meta, schema == null ? null : schema.toLowerCase(Locale.ROOT),
                    tableName.toLowerCase(Locale.ROOT));
        }
        if (columns == null) {
            errors++;
            err.println("Did not find any relation named \"" + name + "\".");
            return;
        }
        columns.print(out);
        out.println();
    }

    /** The columns of one table, or null if there is no such table. */
    private static ResultTable describeColumns(DatabaseMetaData meta, String schema, String table)
            throws SQLException {
        List<String[]> rows = new ArrayList<>();
        String qualified = null;
        try (ResultSet rs = meta.getColumns(null, schema, table, "%")) {
            while (rs.next()) {
                String thisTable = rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME");
                if (qualified == null) {
                    qualified = thisTable;
                } else if (!qualified.equals(thisTable)) {
                    continue; // the same name in a later schema: psql shows the first one visible
                }
                rows.add(new String[] {rs.getString("COLUMN_NAME"), typeName(rs),
                        "NO".equals(rs.getString("IS_NULLABLE")) ? "not null" : "",
                        rs.getString("COLUMN_DEF")});
            }
        }
        if (qualified == null) {
            return null;
        }
        ResultTable out = new ResultTable("Table \"" + qualified + "\"",
                List.of("Column", "Type", "Nullable", "Default"), new boolean[4]);
        for (String[] row : rows) {
            out.addRow(row);
        }
        return out;
    }

    /** The column's type as DDL spells it: {@code varchar(40)}, {@code decimal(12,2)}. */
    private static String typeName(ResultSet column) throws SQLException {
        String name = column.getString("TYPE_NAME").toLowerCase(Locale.ROOT);
        if (name.contains("(")) {
            return name;
        }
        int type = column.getInt("DATA_TYPE");
        int size = column.getInt("COLUMN_SIZE");
        boolean sized = !column.wasNull() && size > 0;
        switch (type) {
            case Types.VARCHAR, Types.CHAR:
                return sized && size < Integer.MAX_VALUE ? name + "(" + size + ")" : name;
            case Types.DECIMAL, Types.NUMERIC:
                int scale = column.getInt("DECIMAL_DIGITS");
                return sized ? name + "(" + size + "," + scale + ")" : name;
            default:
                return name;
        }
    }

    private static String unquote(String identifier) {
        String s = identifier.strip();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1).replace("\"\"", "\"");
        }
        return s;
    }
}
