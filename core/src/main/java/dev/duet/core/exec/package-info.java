/**
 * Execution foundations shared by every store and the executor: the per-query
 * {@link dev.duet.core.exec.QueryContext} (Arrow allocator with a memory limit, cancellation,
 * timeout), the pull-based {@link dev.duet.core.exec.Operator} interface over Arrow batches and its
 * ownership rules, and {@link dev.duet.core.exec.Batches} for building batches and moving single
 * values in and out of them. {@link dev.duet.core.exec.QueryProfile} counts rows, batches, time and
 * operator-reported details per plan node for {@code EXPLAIN ANALYZE}, only when asked. Depends on Arrow and {@code dev.duet.core} only.
 */
package dev.duet.core.exec;
