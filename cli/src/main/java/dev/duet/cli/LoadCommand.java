package dev.duet.cli;

import dev.duet.core.DuetException;
import dev.duet.datasets.tpch.TpchLoader;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code duet load tpch --sf SF DIR}: loads TPC-H at scale factor SF into the database directory
 * DIR (created on first use), through the bulk load path ({@code Duet.appender}, one commit per
 * 50,000 rows). The load runs with async durability (a commit does not wait for
 * fsync) and without background checkpoints; closing the database at the end checkpoints it and
 * flushes the log, so the data is on disk when the command returns 0.
 */
final class LoadCommand {
    static final String USAGE = "usage: duet load tpch --sf SF DIR   load TPC-H at scale factor SF (e.g. 0.1)\n"
            + "                                     into database directory DIR";

    private LoadCommand() {
    }

    /** {@code args} are the words after {@code load}. Returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String dataset = null;
        String sfText = null;
        String dir = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--sf")) {
                if (i + 1 == args.length) {
                    return usageError(err, "--sf needs a value");
                }
                sfText = args[++i];
            } else if (a.startsWith("--sf=")) {
                sfText = a.substring("--sf=".length());
            } else if (a.startsWith("-")) {
                return usageError(err, "unknown option " + a);
            } else if (dataset == null) {
                dataset = a;
            } else if (dir == null) {
                dir = a;
            } else {
                return usageError(err, "unexpected argument " + a);
            }
        }
        if (dataset == null) {
            return usageError(err, "name a dataset");
        }
        if (!dataset.equals("tpch")) {
            return usageError(err, "unknown dataset " + dataset + " (known: tpch)");
        }
        if (sfText == null) {
            return usageError(err, "--sf is required");
        }
        double sf;
        try {
            sf = Double.parseDouble(sfText);
        } catch (NumberFormatException e) {
            return usageError(err, "--sf must be a number, not " + sfText);
        }
        if (!(sf > 0) || Double.isInfinite(sf)) {
            return usageError(err, "--sf must be a positive number, not " + sfText);
        }
        if (dir == null) {
            return usageError(err, "name the database directory");
        }
        return load(sf, Path.of(dir), out, err);
    }

    private static int load(double sf, Path dir, PrintStream out, PrintStream err) {
        long start = System.nanoTime();
        TpchLoader.Result result;
        long closeStart;
        try (Duet db = Duet.open(dir, loadConfig())) {
            out.printf(Locale.ROOT, "loading TPC-H SF %s into %s%n", sfText(sf), dir);
            out.flush();
            result = TpchLoader.load(db, sf, TpchLoader.DEFAULT_BATCH_ROWS,
                    (table, rows, took) -> {
                        out.printf(Locale.ROOT, "  %-9s %,12d rows %9s%n", table, rows, seconds(took));
                        out.flush();
                    });
            closeStart = System.nanoTime();
        } catch (DuetException e) {
            err.println("ERROR " + e.sqlState() + ": " + e.getMessage());
            return 1;
        }
        long end = System.nanoTime();
        Duration load = result.elapsed();
        out.printf(Locale.ROOT, "loaded %,d rows in %s (%,.0f rows/s); checkpoint and close %s; total %s%n",
                result.totalRows(), seconds(load), result.totalRows() / Math.max(1e-9, load.toNanos() / 1e9),
                seconds(Duration.ofNanos(end - closeStart)), seconds(Duration.ofNanos(end - start)));
        return 0;
    }

    /**
     * Async durability and no background checkpoints: a load would otherwise checkpoint every
     * 64 MiB of log and more (deltas of the new rows, and every few of them a full rewrite of every
     * row loaded so far). The checkpoint at close is the one that counts; until then the log has it
     * all.
     */
    static DuetConfig loadConfig() {
        DuetConfig config = DuetConfig.defaults().withDurability(DuetConfig.Durability.ASYNC);
        return config.withRowStore(config.rowStore()
                .withCheckpointWalBytes(Long.MAX_VALUE)
                .withCheckpointInterval(Duration.ofDays(365)));
    }

    private static String sfText(double sf) {
        return sf == Math.rint(sf) && sf < 1e15 ? String.valueOf((long) sf) : String.valueOf(sf);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
    }

    private static int usageError(PrintStream err, String problem) {
        err.println("duet load: " + problem);
        err.println(USAGE);
        return 2;
    }
}
