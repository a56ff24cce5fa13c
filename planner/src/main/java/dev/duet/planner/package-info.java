/**
 * Duet's SQL front end: SQL text to parsed, validated statements and optimized logical plans
 * ({@link dev.duet.planner.SqlFrontEnd}), built on Apache Calcite. Physical planning, routing
 * and execution (later in this module) start from {@link dev.duet.planner.PlannedQuery} and
 * {@link dev.duet.planner.PlannedDml}. May import core, the stores and Calcite; must not import
 * engine, server or any module above it.
 */
package dev.duet.planner;
