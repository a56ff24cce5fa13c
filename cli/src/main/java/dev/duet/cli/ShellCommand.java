package dev.duet.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code duet shell [DIR] [SCRIPT] [-c SQL]... [-f FILE]...}: a {@link SqlShell} over
 * {@code jdbc:duet:DIR} (the directory is created on first use), or over an in-memory database
 * without DIR. With {@code -c} or {@code -f} (or SCRIPT) it runs those, in the order given, and
 * exits; otherwise it reads standard input, interactively (prompt, timing on) on a terminal and as
 * a script when input is piped. Exit status: 0, or 1 if a statement failed outside interactive
 * use, or 2 on a usage error.
 */
final class ShellCommand {
    static final String USAGE = """
            usage: duet shell [DIR] [SCRIPT] [-c SQL]... [-f FILE]...
                                     SQL shell on database directory DIR (in memory without DIR);
                                     -c runs SQL, -f (or SCRIPT) runs a script file, then exits;
                                     otherwise statements come from standard input""";

    private ShellCommand() {
    }

    /** One {@code -c} text or {@code -f} file, run in command-line order. */
    private record Action(String sql, Path file) {
    }

    /**
     * {@code args} are the words after {@code shell}; {@code terminal} says whether {@code in} is
     * a person at a terminal. Returns the exit status.
     */
    static int run(String[] args, InputStream in, boolean terminal, PrintStream out, PrintStream err) {
        String dir = null;
        List<Action> actions = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-c") || a.equals("-f")) {
                if (i + 1 == args.length) {
                    return usageError(err, a + " needs a value");
                }
                String value = args[++i];
                actions.add(a.equals("-c") ? new Action(value, null) : new Action(null, Path.of(value)));
            } else if (a.startsWith("-")) {
                return usageError(err, "unknown option " + a);
            } else if (dir == null) {
                dir = a;
            } else if (actions.isEmpty()) {
                actions.add(new Action(null, Path.of(a)));
            } else {
                return usageError(err, "unexpected argument " + a);
            }
        }
        String url = dir == null ? "jdbc:duet:mem:" : "jdbc:duet:" + Path.of(dir).toAbsolutePath();
        try (Connection connection = DriverManager.getConnection(url)) {
            SqlShell shell = new SqlShell(connection, out, err);
            if (!actions.isEmpty()) {
                for (Action action : actions) {
                    if (action.sql() != null) {
                        shell.runAll(action.sql());
                    } else if (!runFile(shell, action.file(), err)) {
                        return 1;
                    }
                }
                return shell.errors() == 0 ? 0 : 1;
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            if (terminal) {
                out.println("Duet SQL shell on " + (dir == null ? "an in-memory database" : dir)
                        + ". Statements end with ';'. Type \\? for help, \\q to quit.");
                shell.setTiming(true);
            }
            shell.run(reader, terminal);
            return terminal || shell.errors() == 0 ? 0 : 1;
        } catch (SQLException e) {
            err.println(SqlShell.errorLine(e));
            return 1;
        } catch (IOException e) {
            err.println("ERROR: cannot read input: " + e.getMessage());
            return 1;
        }
    }

    /** Runs a script file; false (after saying why) if it cannot be read. */
    private static boolean runFile(SqlShell shell, Path file, PrintStream err) throws IOException {
        BufferedReader reader;
        try {
            reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            err.println(file + ": No such file");
            return false;
        }
        try (reader) {
            shell.run(reader, false);
        }
        return true;
    }

    private static int usageError(PrintStream err, String message) {
        err.println("duet shell: " + message);
        err.println(USAGE);
        return 2;
    }
}
