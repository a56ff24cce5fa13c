package dev.duet.planner.exec.join;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs the parts of one hash table's build ({@link JoinHashTable#build}) on the calling thread
 * and a pool at once. Each part is claimed once, by a compare-and-set, by whichever thread gets to
 * it first: the caller offers parts 1.. to the pool, runs part 0, then claims every part no pool
 * thread has started, so a saturated pool slows a build down but never stalls it (as
 * {@link dev.duet.planner.exec.ops.GatherOperator} does for pipelines). The caller then waits for
 * the parts pool threads took, which end on their own (a part is a bounded loop over arrays), and
 * throws the first failure of any part. The parts' writes happen before the return (the latch).
 */
final class BuildParts {
    private BuildParts() {
    }

    /** Runs {@code part.accept(p)} for every {@code p < parts}, each exactly once; {@code pool} may be null for one part. */
    static void run(Executor pool, int parts, IntConsumer part) {
        if (parts == 1) {
            part.accept(0);
            return;
        }
        AtomicIntegerArray claimed = new AtomicIntegerArray(parts);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(parts);
        Runnable[] tasks = new Runnable[parts];
        for (int p = 0; p < parts; p++) {
            int at = p;
            tasks[p] = () -> {
                if (!claimed.compareAndSet(at, 0, 1)) {
                    return;
                }
                try {
                    part.accept(at);
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            };
        }
        for (int p = 1; p < parts; p++) {
            try {
                pool.execute(tasks[p]);
            } catch (RejectedExecutionException e) {
                // the pool is shutting down: this thread runs the part below
            }
        }
        for (Runnable task : tasks) {
            task.run(); // claims the parts no pool thread has started
        }
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the parts end on their own; keep waiting, then restore the flag
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }
}
