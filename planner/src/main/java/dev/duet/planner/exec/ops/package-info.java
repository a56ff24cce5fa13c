/**
 * The running operators of the executor that filter, compute, reorder or reduce rows: filter and
 * project ({@link dev.duet.planner.exec.ops.FilterOperator}, {@link dev.duet.planner.exec.ops.ProjectOperator}),
 * hash aggregation ({@link dev.duet.planner.exec.ops.HashAggregateOperator}), sorting
 * ({@link dev.duet.planner.exec.ops.SortOperator}), top-N ({@link dev.duet.planner.exec.ops.TopNOperator})
 * and LIMIT/OFFSET ({@link dev.duet.planner.exec.ops.LimitOperator}). Each implements core's
 * {@link dev.duet.core.exec.Operator} over Arrow batches with memory from the query's allocator and
 * is configured by a small immutable spec (or compiled expressions) that the physical planner
 * builds from Calcite's nodes.
 *
 * <p>Hot loops read the vectors' buffers by address and keep per-group and per-row state in
 * primitive arrays; that heap state is charged to the query's allocator through
 * {@link dev.duet.core.exec.HeapReservation}, so the query's memory limit (53200) covers
 * it as well as the Arrow buffers.
 */
package dev.duet.planner.exec.ops;
