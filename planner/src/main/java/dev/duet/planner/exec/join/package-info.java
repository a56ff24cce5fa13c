/**
 * Join, set and constant-row operators of the executor: {@link dev.duet.planner.exec.join.HashJoinOperator}
 * and {@link dev.duet.planner.exec.join.NestedLoopJoinOperator} (inner, outer, semi and anti joins,
 * with a {@link dev.duet.planner.exec.join.JoinFilter} residual condition),
 * {@link dev.duet.planner.exec.join.UnionAllOperator},
 * {@link dev.duet.planner.exec.join.SetOperationOperator} (UNION, INTERSECT [ALL], EXCEPT [ALL]) and
 * {@link dev.duet.planner.exec.join.ValuesOperator}. Each runs from an immutable spec record that
 * the physical planner builds; hot loops work on the Arrow buffers and hash tables are primitive
 * arrays accounted to the query's memory limit. Imports core's execution contract and Arrow only:
 * nothing from Calcite, the stores or the rest of the planner.
 */
package dev.duet.planner.exec.join;
