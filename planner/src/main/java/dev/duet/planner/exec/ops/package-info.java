/**
 * The running filter and project operators of the executor, implementing
 * {@link dev.duet.core.exec.Operator} over Arrow batches with memory from the query's allocator.
 */
package dev.duet.planner.exec.ops;
