package dev.duet.engine;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The database's pool of threads for parallel queries: at most {@link DuetConfig#threads()}
 * daemon threads, made when a query first needs them and ended after 30 idle seconds, shut down
 * when the database closes. Tasks wait in an unbounded queue when every thread is busy; a
 * parallel query never depends on a task starting (its own thread runs any copy of its pipeline
 * that no worker has started, see {@code GatherOperator}), so a saturated pool slows queries down
 * but cannot stall them.
 */
final class QueryWorkers implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ThreadPoolExecutor pool;

    QueryWorkers(int threads) {
        int id = POOLS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "duet-query-worker-" + id + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
    }

    /** Where gathers run their workers. */
    Executor executor() {
        return pool;
    }

    /** Stops the threads; running workers are interrupted (their queries are closed by then). */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
