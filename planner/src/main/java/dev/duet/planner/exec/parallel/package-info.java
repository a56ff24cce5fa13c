/**
 * Morsel-driven parallel execution: a serial physical plan made parallel for a session's
 * {@code duet.threads} ({@link dev.duet.planner.exec.parallel.Parallelizer}).
 *
 * <p>Design. A <em>pipeline</em> is a chain of filters, projections and probe sides of hash joins
 * over one table scan, possibly ended by a hash join that outputs build rows after its probe side
 * (RIGHT, FULL, RIGHT_SEMI, RIGHT_ANTI: its copies mark matched build rows, merged for one tail
 * that outputs them). The joins' build sides are built once per execution, a large hash table in
 * parts on several threads, and shared by the copies. The
 * parallelizer puts a {@link dev.duet.planner.exec.parallel.GatherNode} above each pipeline (and
 * splits an aggregate over a pipeline into a partial aggregate inside the pipeline and a final one
 * above the gather). At run time a gather over a column-store scan cuts the table, at the query's
 * snapshot, into morsels ({@link dev.duet.columnstore.ScanMorsels}: a sealed row group, or a range
 * of an in-memory segment's rows), makes K = min(threads, morsels) copies of the pipeline, each
 * under a worker context with its own child allocator of the query's, and runs them on the
 * database's worker pool and the query's own thread ({@link dev.duet.planner.exec.ops.GatherOperator}).
 * The copies take morsels from one thread-safe dispenser, so each morsel is read by exactly one of
 * them; batches come back through a bounded queue. Everything above the gathers (final aggregates,
 * joins, sorts) runs on the query's thread as before.
 *
 * <p>Row-store scans stay serial: a gather whose scan is routed to the row store runs its
 * pipeline on the query's thread, because a {@code Transaction} (and the row-store scan reading
 * it) is used by one thread at a time.
 *
 * <p>This package may use {@code core}, {@code columnstore}, {@code rowstore} and the rest of the
 * planner's executor; nothing below the planner knows it.
 */
package dev.duet.planner.exec.parallel;
