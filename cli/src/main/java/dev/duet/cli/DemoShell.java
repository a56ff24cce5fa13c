package dev.duet.cli;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.core.types.TextValues;
import dev.duet.engine.Duet;
import dev.duet.rowstore.Row;
import dev.duet.rowstore.RowCursor;
import dev.duet.rowstore.Transaction;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A line-oriented demo of the embedded API: create tables, insert, get, update, delete, scan,
 * explicit transactions and checkpoints, each command mapped to one API call. Values are typed as
 * text and parsed by column type ({@code NULL} for null, single quotes around text with spaces).
 */
final class DemoShell implements AutoCloseable {
    private final Duet db;
    private final PrintStream out;
    private final boolean interactive;
    private final String where;
    private Transaction tx;

    private DemoShell(Duet db, PrintStream out, boolean interactive, String where) {
        this.db = db;
        this.out = out;
        this.interactive = interactive;
        this.where = where;
    }

    static DemoShell open(Path dir, PrintStream out, boolean interactive) {
        Duet db = dir == null ? Duet.inMemory() : Duet.open(dir);
        return new DemoShell(db, out, interactive, dir == null ? "memory" : dir.toString());
    }

    /** Runs commands until {@code quit} or end of input; returns the exit status. */
    int run(BufferedReader in) throws IOException {
        if (interactive) {
            out.println("Duet demo (embedded API) on " + where + ". Type 'help' for commands.");
        }
        int status = 0;
        while (true) {
            if (interactive) {
                out.print(tx == null ? "duet> " : "duet*> ");
                out.flush();
            }
            String line = in.readLine();
            if (line == null) {
                return status;
            }
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.equals("quit") || line.equals("exit")) {
                return status;
            }
            try {
                execute(tokenize(line));
            } catch (DuetException e) {
                out.println("ERROR " + e.sqlState() + ": " + e.getMessage());
                status = interactive ? 0 : 1;
            }
        }
    }

    private void execute(List<String> t) {
        String cmd = t.get(0);
        switch (cmd) {
            case "help" -> help();
            case "tables" -> {
                for (TableDef def : (tx != null ? tx.catalog() : db.catalog()).tables()) {
                    out.println(def);
                }
            }
            case "create" -> create(t);
            case "drop" -> {
                need(t, 2, "drop TABLE");
                inTx(x -> x.dropTable(t.get(1)));
                out.println("DROP TABLE");
            }
            case "insert" -> {
                need(t, 3, "insert TABLE VALUE...");
                inTx(x -> {
                    TableDef def = x.table(t.get(1));
                    x.insert(t.get(1), parseValues(def, allColumns(def), t.subList(2, t.size())));
                });
                out.println("INSERT 1");
            }
            case "get" -> {
                need(t, 3, "get TABLE KEY...");
                inTx(x -> {
                    TableDef def = x.table(t.get(1));
                    Row r = x.get(t.get(1), parseValues(def, def.primaryKey(), t.subList(2, t.size())));
                    if (r == null) {
                        out.println("(no row)");
                    } else {
                        print(def, List.of(r));
                    }
                });
            }
            case "update" -> update(t);
            case "delete" -> {
                need(t, 3, "delete TABLE KEY...");
                inTx(x -> {
                    TableDef def = x.table(t.get(1));
                    boolean done = x.delete(t.get(1), parseValues(def, def.primaryKey(), t.subList(2, t.size())));
                    out.println("DELETE " + (done ? 1 : 0));
                });
            }
            case "scan" -> {
                need(t, 2, "scan TABLE [LIMIT]");
                int limit = t.size() > 2 ? Integer.parseInt(t.get(2)) : 100;
                inTx(x -> {
                    TableDef def = x.table(t.get(1));
                    List<Row> rows = new ArrayList<>();
                    RowCursor c = x.scan(t.get(1));
                    while (c.hasNext() && rows.size() < limit) {
                        rows.add(c.next());
                    }
                    print(def, rows);
                });
            }
            case "begin" -> {
                if (tx != null) {
                    throw DuetException.of(SqlState.INVALID_TRANSACTION_STATE, "a transaction is already open");
                }
                tx = db.begin();
                out.println("BEGIN (snapshot " + tx.snapshot() + ")");
            }
            case "commit", "rollback" -> {
                if (tx == null) {
                    throw DuetException.of(SqlState.INVALID_TRANSACTION_STATE, "no transaction is open");
                }
                Transaction x = tx;
                tx = null;
                if (cmd.equals("commit")) {
                    x.commit();
                    out.println("COMMIT");
                } else {
                    x.rollback();
                    out.println("ROLLBACK");
                }
            }
            case "checkpoint" -> {
                db.checkpoint();
                out.println("CHECKPOINT");
            }
            default -> throw DuetException.of(SqlState.SYNTAX_ERROR, "unknown command \"%s\" (try help)", cmd);
        }
    }

    private void create(List<String> t) {
        need(t, 3, "create TABLE COLUMN:TYPE[!]... [pk=COL[,COL]]");
        TableDef.Builder b = TableDef.builder(t.get(1));
        for (String spec : t.subList(2, t.size())) {
            if (spec.startsWith("pk=")) {
                b.primaryKey(spec.substring(3).split(","));
                continue;
            }
            int colon = spec.indexOf(':');
            if (colon <= 0) {
                throw DuetException.of(SqlState.SYNTAX_ERROR, "column \"%s\" must be written NAME:TYPE", spec);
            }
            boolean notNull = spec.endsWith("!");
            String type = spec.substring(colon + 1, notNull ? spec.length() - 1 : spec.length());
            b.column(new ColumnDef(spec.substring(0, colon), DataType.parse(type), notNull, null));
        }
        TableDef spec = b.build();
        inTx(x -> x.createTable(spec));
        out.println("CREATE TABLE");
    }

    private void update(List<String> t) {
        int set = t.indexOf("set");
        if (set < 3 || set == t.size() - 1) {
            throw DuetException.of(SqlState.SYNTAX_ERROR, "usage: update TABLE KEY... set COL=VALUE...");
        }
        inTx(x -> {
            TableDef def = x.table(t.get(1));
            Object[] key = parseValues(def, def.primaryKey(), t.subList(2, set));
            Map<String, Object> changes = new LinkedHashMap<>();
            for (String a : t.subList(set + 1, t.size())) {
                int eq = a.indexOf('=');
                if (eq <= 0) {
                    throw DuetException.of(SqlState.SYNTAX_ERROR, "expected COL=VALUE, got \"%s\"", a);
                }
                String col = a.substring(0, eq);
                int c = def.requireColumn(col);
                changes.put(col, parse(def, c, unquote(a.substring(eq + 1))));
            }
            out.println("UPDATE " + (x.update(t.get(1), key, changes) ? 1 : 0));
        });
    }

    private interface Work {
        void accept(Transaction tx);
    }

    /** Runs in the open transaction, or in one of its own that commits at once. */
    private void inTx(Work work) {
        if (tx != null) {
            work.accept(tx);
            return;
        }
        try (Transaction x = db.begin()) {
            work.accept(x);
            x.commit();
        }
    }

    private static int[] allColumns(TableDef def) {
        int[] all = new int[def.columnCount()];
        Arrays.setAll(all, i -> i);
        return all;
    }

    private static Object[] parseValues(TableDef def, int[] columns, List<String> texts) {
        if (texts.size() != columns.length) {
            throw DuetException.of(SqlState.SYNTAX_ERROR, "expected %d value(s), got %d", columns.length, texts.size());
        }
        Object[] v = new Object[columns.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = parse(def, columns[i], texts.get(i));
        }
        return v;
    }

    private static Object parse(TableDef def, int column, String text) {
        return "NULL".equals(text) ? null
                : TextValues.parse(def.column(column).type(), text, def.column(column).name());
    }

    private void print(TableDef def, List<Row> rows) {
        int n = def.columnCount();
        String[][] cells = new String[rows.size() + 1][n];
        int[] width = new int[n];
        for (int c = 0; c < n; c++) {
            cells[0][c] = def.column(c).name();
        }
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < n; c++) {
                String s = TextValues.format(def.column(c).type(), rows.get(r).get(c));
                cells[r + 1][c] = s == null ? "NULL" : s;
            }
        }
        for (String[] row : cells) {
            for (int c = 0; c < n; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (int r = 0; r < cells.length; r++) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < n; c++) {
                sb.append(c == 0 ? " " : " | ").append(String.format("%-" + width[c] + "s", cells[r][c]));
            }
            out.println(sb.toString().stripTrailing());
            if (r == 0) {
                StringBuilder line = new StringBuilder();
                for (int c = 0; c < n; c++) {
                    line.append(c == 0 ? "-" : "-+-").append("-".repeat(width[c]));
                }
                out.println(line);
            }
        }
        out.println("(" + rows.size() + " row" + (rows.size() == 1 ? ")" : "s)"));
    }

    private void help() {
        out.println("""
                commands (values are parsed by column type; NULL is null; quote text with spaces: 'a b'):
                  create TABLE COL:TYPE[!]... [pk=COL[,COL]]   e.g. create accounts id:bigint owner:text! balance:decimal(12,2) pk=id
                  drop TABLE                    tables
                  insert TABLE VALUE...         get TABLE KEY...
                  update TABLE KEY... set COL=VALUE...
                  delete TABLE KEY...           scan TABLE [LIMIT]
                  begin | commit | rollback     checkpoint
                  quit""");
    }

    private static void need(List<String> t, int n, String usage) {
        if (t.size() < n) {
            throw DuetException.of(SqlState.SYNTAX_ERROR, "usage: %s", usage);
        }
    }

    /** Splits on blanks; single quotes group (and '' inside quotes is a quote). */
    static List<String> tokenize(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '\'' && i + 1 < line.length() && line.charAt(i + 1) == '\'') {
                    cur.append('\'');
                    i++;
                } else if (ch == '\'') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '\'') {
                quoted = true;
                any = true;
            } else if (Character.isWhitespace(ch)) {
                if (any) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(ch);
                any = true;
            }
        }
        if (quoted) {
            throw DuetException.of(SqlState.SYNTAX_ERROR, "unterminated quoted string");
        }
        if (any) {
            out.add(cur.toString());
        }
        return out;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("'") && s.endsWith("'") ? s.substring(1, s.length() - 1) : s;
    }

    @Override
    public void close() {
        if (tx != null) {
            tx.close();
        }
        db.close();
    }
}
