/**
 * Relational operators of the executor that reorder or reduce rows: hash aggregation
 * ({@link dev.duet.planner.exec.ops.HashAggregateOperator}), sorting
 * ({@link dev.duet.planner.exec.ops.SortOperator}), top-N
 * ({@link dev.duet.planner.exec.ops.TopNOperator}) and LIMIT/OFFSET
 * ({@link dev.duet.planner.exec.ops.LimitOperator}). Each implements core's
 * {@link dev.duet.core.exec.Operator} over Arrow batches and is configured by a small immutable
 * spec record ({@link dev.duet.planner.exec.ops.AggregateSpec},
 * {@link dev.duet.planner.exec.ops.SortSpec}, {@link dev.duet.planner.exec.ops.TopNSpec},
 * {@link dev.duet.planner.exec.ops.LimitSpec}) that the physical planner builds from Calcite's
 * nodes: plain column indexes, directions and aggregate kinds, nothing of Calcite.
 *
 * <p>Hot loops read the vectors' buffers by address and keep per-group and per-row state in
 * primitive arrays; that heap state is charged to the query's allocator through
 * {@link dev.duet.planner.exec.ops.HeapReservation}, so the query's memory limit (53200) covers
 * it as well as the Arrow buffers. Imports core and Arrow only.
 */
package dev.duet.planner.exec.ops;
