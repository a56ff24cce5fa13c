package dev.duet.planner.exec.parallel;

import dev.duet.columnstore.ScanMorsels;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Closeables;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.planner.exec.join.SharedHashBuild;
import dev.duet.planner.exec.join.UnionAllOperator;
import dev.duet.planner.exec.ops.GatherOperator;
import dev.duet.planner.exec.plan.JoinNode;
import dev.duet.planner.exec.plan.PlanNode;
import dev.duet.planner.exec.plan.TableScanNode;
import dev.duet.planner.exec.route.ScanRouting;
import dev.duet.rowstore.Transaction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs {@code pipeline} (filters, projections and hash joins' probe sides over one table scan, the
 * {@code driver}) on up to {@code threads} threads and returns the rows of all copies, in no particular order (see
 * {@link GatherOperator}). Placed by {@link Parallelizer} only where the order of rows does not
 * matter.
 *
 * <p>At each execution it decides how: when the scan is routed to the column store and the
 * statement has a {@link Parallelism}, it cuts the table into morsels ({@link ScanMorsels}) and
 * makes K = min(threads, morsels) copies of the pipeline, each under a worker context of the query
 * ({@link QueryContext#newWorker}) reading the shared morsels. The pipeline's joins run their build
 * sides once, first, on the query's thread (a large hash table is built in parts on the query's
 * thread and the pool's at once), and every copy probes that one table
 * ({@link JoinNode#buildShared}); otherwise (the row store, whose
 * transaction is read by one thread at a time; a table of one morsel; no worker pool) it runs the
 * pipeline itself, serially, exactly as the plan without the gather would.
 *
 * <p>A pipeline may end in a hash join that outputs build rows by whether anything matched them
 * (RIGHT, FULL, RIGHT_SEMI, RIGHT_ANTI: {@link JoinNode#hasBuildTail}): its copies probe one
 * build side, each marking the build rows it matched, and once the copies have ended one more
 * instance of the join outputs the build rows by their merged marks ({@link JoinNode#buildTail}),
 * after the copies' rows.
 */
public final class GatherNode implements PlanNode {
    private final PlanNode pipeline;
    private final TableScanNode driver;
    private final int threads;

    /** @param driver the scan at the bottom of {@code pipeline} whose morsels the copies share */
    public GatherNode(PlanNode pipeline, TableScanNode driver, int threads) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline is null");
        this.driver = Objects.requireNonNull(driver, "driver is null");
        if (threads < 2) {
            throw new IllegalArgumentException("a gather needs at least 2 threads, got " + threads);
        }
        this.threads = threads;
    }

    /** The scan whose morsels the copies of the pipeline share. */
    public TableScanNode driver() {
        return driver;
    }

    /** The most threads the pipeline runs on. */
    public int threads() {
        return threads;
    }

    @Override
    public List<BatchColumn> columns() {
        return pipeline.columns();
    }

    @Override
    public List<PlanNode> inputs() {
        return List.of(pipeline);
    }

    @Override
    public PlanNode withInputs(List<PlanNode> inputs) {
        if (inputs.get(0) == pipeline) {
            return this;
        }
        throw new IllegalArgumentException("a gather's pipeline is fixed with its driving scan: it cannot take new inputs");
    }

    @Override
    public String describe() {
        return "Gather(threads=" + threads + ", table=" + driver.table().qualifiedName() + ")";
    }

    @Override
    public Operator createOperator(QueryContext context, Transaction transaction) {
        Parallelism parallelism = context.attachment(Parallelism.class);
        ScanRouting routing = context.attachment(ScanRouting.class);
        if (parallelism == null || routing == null || !routing.route(driver.table(), transaction).column()) {
            return PlanNode.instantiate(pipeline, context, transaction);
        }
        ScanMorsels morsels = routing.morsels(transaction, driver.table(), driver.columnIndexes(),
                driver.zonePredicates(), parallelism.morselRows());
        if (morsels == null) {
            return PlanNode.instantiate(pipeline, context, transaction);
        }
        int k = Math.min(threads, morsels.morselCount());
        if (k < 2) {
            morsels.close();
            return PlanNode.instantiate(pipeline, context, transaction);
        }
        List<QueryContext> workers = new ArrayList<>(k);
        List<Operator> copies = new ArrayList<>(k);
        List<AutoCloseable> shared = new ArrayList<>();
        shared.add(morsels);
        SharedHashBuild tailBuild = null;
        GatherOperator gather = null;
        try {
            // every join of the pipeline builds once, here, on the query's thread; the copies probe it
            Map<JoinNode, SharedHashBuild> builds = new IdentityHashMap<>();
            for (PlanNode n = pipeline; n != driver; n = n.inputs().get(0)) {
                if (n instanceof JoinNode join) {
                    SharedHashBuild build = join.buildShared(context, transaction, parallelism.workers(), threads);
                    builds.put(join, build);
                    if (n == pipeline && join.hasBuildTail()) {
                        tailBuild = build; // closed by the tail, which reads it after the copies
                    } else {
                        shared.add(build);
                    }
                }
            }
            String name = context.allocator().getName();
            for (int i = 0; i < k; i++) {
                QueryContext worker = context.newWorker(name + "-worker-" + i);
                workers.add(worker);
                worker.attach(TableScanNode.Morsels.class, new TableScanNode.Morsels(driver, morsels));
                worker.attach(JoinNode.SharedBuilds.class, new JoinNode.SharedBuilds(builds));
                copies.add(PlanNode.instantiate(pipeline, worker, transaction));
            }
            gather = new GatherOperator(context, parallelism.workers(), workers, copies, () -> closeAll(shared));
            if (tailBuild == null) {
                return gather;
            }
            Operator tail = ((JoinNode) pipeline).buildTail(context, tailBuild);
            tailBuild = null; // the tail owns it now
            return new UnionAllOperator(context, List.of(gather, tail));
        } catch (RuntimeException e) {
            if (gather != null) {
                closeQuietly(gather::close, e); // closes the copies, what they share and the workers
            } else {
                for (Operator copy : copies) {
                    closeQuietly(copy::close, e);
                }
                closeQuietly(() -> closeAll(shared), e);
                for (QueryContext worker : workers) {
                    closeQuietly(worker::close, e);
                }
            }
            if (tailBuild != null) {
                closeQuietly(tailBuild::close, e);
            }
            throw e;
        }
    }

    /** Closes every one of {@code resources}, in reverse order; throws the first failure. */
    private static void closeAll(List<AutoCloseable> resources) {
        List<AutoCloseable> reversed = new ArrayList<>(resources);
        Collections.reverse(reversed);
        Closeables.closeAll(reversed);
    }

    private static void closeQuietly(Runnable close, RuntimeException failure) {
        try {
            close.run();
        } catch (RuntimeException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }
}
