/**
 * Vectorized scalar expressions: {@link dev.duet.planner.exec.expr.ExpressionCompiler} compiles
 * Calcite {@code RexNode}s into {@link dev.duet.planner.exec.expr.CompiledExpression}s, opened into
 * {@link dev.duet.planner.exec.expr.VectorEvaluator}s that compute a batch at a time straight on
 * the Arrow buffers, with SQL's three-valued logic and PostgreSQL's arithmetic, cast and function
 * semantics. Depends on core, Arrow and Calcite only.
 */
package dev.duet.planner.exec.expr;
