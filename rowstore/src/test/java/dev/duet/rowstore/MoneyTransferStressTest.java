package dev.duet.rowstore;

import static dev.duet.rowstore.RowStoreTestSupport.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bank transfers from many threads, with readers, checkpoints and vacuum running at the same
 * time. Money is neither created nor destroyed: every snapshot, and the reopened database, holds
 * exactly the starting total in exactly the starting number of accounts.
 */
class MoneyTransferStressTest {
    private static final int ACCOUNTS = 1_000;
    private static final long START_BALANCE = 1_000;
    private static final long TOTAL = ACCOUNTS * START_BALANCE;
    private static final int WRITERS = 8;
    private static final int READERS = 2;
    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(3);

    enum Mode {
        /** Async WAL, checkpoint on close. */
        ASYNC(RowStoreOptions.defaults().withFsync(false)),
        /** fsync on every commit (group commit), checkpoint on close. */
        FSYNC(RowStoreOptions.defaults()),
        /** Async WAL and no final checkpoint: reopening replays the WAL after the last mid-run checkpoint. */
        ASYNC_REPLAY(RowStoreOptions.defaults().withFsync(false).withCheckpointOnClose(false));

        final RowStoreOptions options;

        Mode(RowStoreOptions options) {
            this.options = options;
        }
    }

    @TempDir
    Path dir;

    private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong rolledBack = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong checkedSnapshots = new AtomicLong();
    private final AtomicLong maintenanceRounds = new AtomicLong();

    @ParameterizedTest
    @EnumSource(Mode.class)
    void transfersKeepTheTotal(Mode mode) throws Exception {
        Map<Long, Long> finalBalances;
        long tableId;
        RowStore store = RowStore.open(dir, mode.options);
        try {
            try (Transaction tx = store.begin()) {
                tableId = tx.createTable(TableDef.builder("accounts")
                        .column("id", DataType.BIGINT)
                        .notNullColumn("balance", DataType.BIGINT)
                        .primaryKey("id")
                        .build()).id();
                for (long i = 0; i < ACCOUNTS; i++) {
                    tx.insert("accounts", i, START_BALANCE);
                }
                tx.commit();
            }

            run(store);

            assertTrue(errors.isEmpty(), () -> "worker failures: " + errors);
            assertTrue(committed.get() > 0, "no transfer committed");
            assertTrue(checkedSnapshots.get() > 0, "readers checked no snapshot");
            assertTrue(maintenanceRounds.get() >= 3, "checkpoint and vacuum ran fewer than 3 times");
            System.out.printf("%s: committed=%d rolledBack=%d conflicts=%d readerSnapshots=%d maintenance=%d%n",
                    mode, committed.get(), rolledBack.get(), conflicts.get(), checkedSnapshots.get(),
                    maintenanceRounds.get());

            assertEquals(0, store.openSnapshots(), "every transaction released its snapshot");
            finalBalances = checkTotal(store);
            store.vacuum();
            assertEquals(ACCOUNTS, store.versionCount(tableId), "vacuum with no open snapshot keeps one version per row");
        } finally {
            store.close();
        }

        try (RowStore reopened = RowStore.open(dir, mode.options)) {
            assertEquals(finalBalances, checkTotal(reopened), "committed balances survive reopen");
            reopened.vacuum();
            assertEquals(ACCOUNTS, reopened.versionCount(tableId));
            assertEquals(0, reopened.openSnapshots());
        }
    }

    private void run(RowStore store) throws InterruptedException {
        long deadline = System.nanoTime() + RUN_NANOS;
        AtomicBoolean writersDone = new AtomicBoolean();
        CountDownLatch writersLeft = new CountDownLatch(WRITERS);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            long seed = 1000 + w;
            threads.add(new Thread(() -> {
                try {
                    transfer(store, new SplittableRandom(seed), deadline);
                } catch (Throwable t) {
                    errors.add(t);
                } finally {
                    writersLeft.countDown();
                }
            }, "writer-" + w));
        }
        for (int r = 0; r < READERS; r++) {
            threads.add(new Thread(() -> guarded(() -> {
                // At least one check even if the writers finish first.
                do {
                    checkSnapshot(store);
                } while (!writersDone.get());
            }), "reader-" + r));
        }
        threads.add(new Thread(() -> guarded(() -> {
            do {
                store.checkpoint();
                store.vacuum();
                maintenanceRounds.incrementAndGet();
            } while (maintenanceRounds.get() < 3 || !writersLeft.await(250, TimeUnit.MILLISECONDS));
        }), "maintenance"));

        threads.forEach(Thread::start);
        // Generous bound: a hang is a failure, not a stuck build.
        if (!writersLeft.await(RUN_NANOS / 1_000_000 + 60_000, TimeUnit.MILLISECONDS)) {
            errors.add(new AssertionError("writers did not finish"));
        }
        writersDone.set(true);
        for (Thread t : threads) {
            t.join(60_000);
            if (t.isAlive()) {
                errors.add(new AssertionError(t.getName() + " did not finish"));
            }
        }
    }

    private void transfer(RowStore store, SplittableRandom random, long deadline) {
        while (System.nanoTime() < deadline) {
            long from = random.nextInt(ACCOUNTS);
            long to = random.nextInt(ACCOUNTS - 1);
            if (to >= from) {
                to++;
            }
            long amount = 1 + random.nextInt(50);
            boolean rollback = random.nextInt(10) == 0;
            try (Transaction tx = store.begin()) {
                Row a = tx.get("accounts", from);
                Row b = tx.get("accounts", to);
                assertNotNull(a);
                assertNotNull(b);
                assertTrue(tx.update("accounts", key(from), Map.of("balance", (Long) a.get("balance") - amount)));
                assertTrue(tx.update("accounts", key(to), Map.of("balance", (Long) b.get("balance") + amount)));
                if (rollback) {
                    tx.rollback();
                    rolledBack.incrementAndGet();
                } else {
                    tx.commit();
                    committed.incrementAndGet();
                }
            } catch (DuetException e) {
                if (e.state() != SqlState.SERIALIZATION_FAILURE) {
                    throw e;
                }
                conflicts.incrementAndGet(); // not retried: the transfer simply did not happen
            }
        }
    }

    private void checkSnapshot(RowStore store) {
        try (Transaction tx = store.begin(true)) {
            long sum = 0;
            long rows = 0;
            for (Row r : tx.scan("accounts")) {
                sum += (Long) r.get("balance");
                rows++;
            }
            if (sum != TOTAL || rows != ACCOUNTS || tx.count("accounts") != ACCOUNTS) {
                fail("snapshot " + tx.snapshot() + " holds " + rows + " accounts (count "
                        + tx.count("accounts") + ") with total " + sum);
            }
            tx.commit();
            checkedSnapshots.incrementAndGet();
        }
    }

    /** Checks total and count at the newest snapshot; returns the balances. */
    private static Map<Long, Long> checkTotal(RowStore store) {
        Map<Long, Long> balances = new HashMap<>();
        long sum = 0;
        try (Transaction tx = store.begin(true)) {
            for (Row r : tx.scan("accounts")) {
                balances.put((Long) r.get("id"), (Long) r.get("balance"));
                sum += (Long) r.get("balance");
            }
            assertEquals(ACCOUNTS, tx.count("accounts"));
        }
        assertEquals(ACCOUNTS, balances.size());
        assertEquals(TOTAL, sum);
        return balances;
    }

    private interface Body {
        void run() throws Exception;
    }

    private void guarded(Body body) {
        try {
            body.run();
        } catch (Throwable t) {
            errors.add(t);
        }
    }
}
