/**
 * The SQL execution layer: a {@link dev.duet.engine.sql.Session} runs SQL text (parsed and planned
 * by the planner module) against the database, with PostgreSQL's transaction semantics, and
 * returns {@link dev.duet.engine.sql.Result}s that stream Arrow batches. The JDBC driver and the
 * PostgreSQL wire server are built on it. Must not import {@code dev.duet.jdbc}, the server, the
 * CLI or the data sets.
 */
package dev.duet.engine.sql;
