/**
 * The executor: {@link dev.duet.planner.exec.PhysicalPlanner} turns an optimized Calcite plan into
 * immutable {@link dev.duet.planner.exec.plan.PlanNode}s, which create the running operators over
 * Arrow batches ({@code exec.ops}: filter, project, aggregate, sort, top-N, limit;
 * {@code exec.join}: joins, set operations, values); {@code exec.expr} compiles scalar
 * expressions into vectorized evaluators; {@link dev.duet.planner.exec.KeyAccessPlanner} picks
 * primary-key and secondary-index lookups for filters over a table. May import core, the row
 * store and Calcite; must not import the engine or anything above it.
 */
package dev.duet.planner.exec;
