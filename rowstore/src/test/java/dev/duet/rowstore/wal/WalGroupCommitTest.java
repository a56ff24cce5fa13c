package dev.duet.rowstore.wal;

import static dev.duet.rowstore.wal.WalTestSupport.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.duet.rowstore.wal.WalTestSupport.Collected;
import dev.duet.rowstore.wal.WalTestSupport.Rec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalGroupCommitTest {
    private static final int THREADS = 16;
    private static final int COMMITS_PER_THREAD = 200;
    private static final int SOLO_COMMITS = 20;

    /** The way the row store commits: append under its commit lock, wait for durability outside it. */
    @Test
    void concurrentCommittersShareFsyncs(@TempDir Path dir) throws Exception {
        Object commitLock = new Object();
        long syncs;
        long soloNanosPerCommit;
        try (WalWriter writer = WalWriter.open(dir, 0, WalOptions.defaults().withSegmentSize(256 << 10))) {
            long started = System.nanoTime();
            for (int i = 0; i < SOLO_COMMITS; i++) {
                writer.awaitDurable(writer.append((byte) 2, new byte[64], 0, 64));
            }
            soloNanosPerCommit = (System.nanoTime() - started) / SOLO_COMMITS;
            long soloSyncs = writer.syncCount();
            assertEquals(SOLO_COMMITS, soloSyncs, "a lone committer forces once per commit");
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        start.await();
                        byte[] payload = new byte[64];
                        for (int i = 0; i < COMMITS_PER_THREAD; i++) {
                            ByteBuffer.wrap(payload).putInt(thread).putInt(i);
                            long end;
                            synchronized (commitLock) {
                                end = writer.append((byte) 1, payload, 0, payload.length);
                            }
                            writer.awaitDurable(end);
                            if (writer.durableLsn() < end) {
                                throw new AssertionError("awaitDurable returned before " + end);
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> future : futures) {
                    future.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            syncs = writer.syncCount() - SOLO_COMMITS;
        }
        int commits = THREADS * COMMITS_PER_THREAD;
        Collected read = readAll(dir, 0);
        assertEquals(SOLO_COMMITS + commits, read.records.size());
        int[] next = new int[THREADS];
        for (Rec rec : read.records.subList(SOLO_COMMITS, read.records.size())) {
            ByteBuffer payload = ByteBuffer.wrap(rec.payload());
            int thread = payload.getInt();
            assertEquals(next[thread]++, payload.getInt(), "each committer's records appear once, in order");
        }
        for (int t = 0; t < THREADS; t++) {
            assertEquals(COMMITS_PER_THREAD, next[t]);
        }

        assertTrue(syncs > 0);
        // Where fsync costs nothing (tmpfs), committers rarely overlap and there is nothing to share.
        assumeTrue(soloNanosPerCommit > 100_000, "fsync takes only " + soloNanosPerCommit + " ns here");
        assertTrue(syncs < commits / 3, syncs + " fsyncs for " + commits + " commits: group commit is not grouping");
    }
}
