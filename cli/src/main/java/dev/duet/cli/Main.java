package dev.duet.cli;

import dev.duet.core.DuetException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The {@code duet} command: {@code shell [DIR]}, the SQL shell over JDBC ({@link ShellCommand});
 * {@code demo [DIR]}, an interactive session on the embedded API; and {@code load tpch --sf SF DIR},
 * which loads TPC-H into a database directory (the server arrives with a later issue). Exit status
 * 0 on success, 1 when a command failed (in non-interactive mode), 2 on a usage error.
 */
public final class Main {
    private Main() {
    }

    /** Held so the levels set below are not lost when the loggers are garbage-collected. */
    private static final java.util.logging.Logger CHRONICLE_LOG = java.util.logging.Logger.getLogger("net.openhft");
    private static final java.util.logging.Logger ARROW_LOG = java.util.logging.Logger.getLogger("org.apache.arrow");

    public static void main(String[] args) throws Exception {
        // Chronicle Map reports routine events (map recovery, code generation) at INFO on stderr.
        CHRONICLE_LOG.setLevel(java.util.logging.Level.WARNING);
        // Arrow reports its allocator choice at INFO when the first query allocates.
        ARROW_LOG.setLevel(java.util.logging.Level.WARNING);
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            usage(out);
            return args.length == 0 ? 2 : 0;
        }
        switch (args[0]) {
            case "shell":
                return ShellCommand.run(Arrays.copyOfRange(args, 1, args.length), System.in,
                        System.console() != null, out, err);
            case "demo": {
                if (args.length > 2) {
                    usage(err);
                    return 2;
                }
                Path dir = args.length == 2 ? Path.of(args[1]) : null;
                boolean interactive = System.console() != null;
                try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                     DemoShell shell = DemoShell.open(dir, out, interactive)) {
                    return shell.run(in);
                } catch (DuetException e) {
                    err.println("ERROR " + e.sqlState() + ": " + e.getMessage());
                    return 1;
                }
            }
            case "load":
                return LoadCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            default:
                err.println("unknown command: " + args[0]);
                usage(err);
                return 2;
        }
    }

    private static void usage(PrintStream out) {
        out.println(ShellCommand.USAGE);
        out.println("       duet demo [DIR]   interactive demo of the embedded API");
        out.println("                         (DIR: database directory, created on first use;");
        out.println("                          without DIR the database lives in memory)");
        out.println("       duet load tpch --sf SF DIR");
        out.println("                         load TPC-H at scale factor SF (e.g. 0.1) into DIR");
    }
}
