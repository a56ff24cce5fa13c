package dev.duet.jmh;

import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import dev.duet.rowstore.RowStoreOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Run in a child JVM by {@link OpenBenchmark}: fills {@code <dir>} with {@code <rows>} rows of
 * {@link SampleTable} in FSYNC durability (transactions of 10,000 rows, each commit forced to the
 * WAL), with an explicit checkpoint after half of them, then ends in one of two ways:
 *
 * <ul>
 *   <li>{@code clean}: {@code close()}, which writes a final checkpoint, so the next open replays
 *       nothing;
 *   <li>{@code crash}: {@code Runtime.halt(0)} without closing: no final checkpoint, no shutdown
 *       hooks, the directory lock simply dies with the process. The second half of the rows exists
 *       only in the WAL (every commit was fsync'ed before it returned), so the next open loads the
 *       checkpoint and replays that half from the log.
 * </ul>
 *
 * Background checkpoints are pushed out of the way (1 TiB of WAL, 1 day) so that the crashed
 * database really holds exactly half of its rows in the WAL.
 */
public final class DatabaseGenerator {
    private DatabaseGenerator() {
    }

    public static void main(String[] args) {
        if (args.length != 3 || !(args[1].equals("clean") || args[1].equals("crash"))) {
            System.err.println("usage: DatabaseGenerator <dir> clean|crash <rows>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        boolean crash = args[1].equals("crash");
        long rows = Long.parseLong(args[2]);
        RowStoreOptions options = RowStoreOptions.defaults()
                .withFsync(true)
                .withCheckpointWalBytes(1L << 40)
                .withCheckpointInterval(Duration.ofDays(1));
        long start = System.nanoTime();
        Duet db = Duet.open(dir, DuetConfig.defaults().withRowStore(options));
        db.createTable(SampleTable.DEF);
        SampleTable.load(db, 0, rows / 2, 10_000);
        db.checkpoint();
        SampleTable.load(db, rows / 2, rows, 10_000);
        long loadedMs = (System.nanoTime() - start) / 1_000_000;
        if (crash) {
            System.out.printf("generated %d rows in %d ms; halting without close%n", rows, loadedMs);
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
        db.close();
        System.out.printf("generated %d rows in %d ms; closed cleanly%n", rows, loadedMs);
    }
}
