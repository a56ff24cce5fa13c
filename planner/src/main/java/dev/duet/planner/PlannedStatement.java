package dev.duet.planner;

/**
 * A statement the front end has parsed, validated against one catalog version and, for queries
 * and DML, converted to an optimized logical plan. Each kind is its own type:
 * {@link PlannedQuery}, {@link PlannedDml}, {@link dev.duet.planner.ddl.DdlStatement},
 * {@link UtilityStatement}, {@link PlannedExplain}, {@link CopyStatement}.
 */
public interface PlannedStatement {
    /** What the engine does with the statement. */
    enum Kind {
        /** SELECT, VALUES, set operations, WITH: returns rows. */
        QUERY,
        /** INSERT, UPDATE, DELETE: returns an update count. */
        DML,
        /** CREATE / DROP of tables, views and indexes. */
        DDL,
        /** Transaction control, SET, SHOW. */
        UTILITY,
        /** EXPLAIN [ANALYZE] a query or DML statement. */
        EXPLAIN,
        /** COPY a table or query to a file or the client, or a file or the client into a table. */
        COPY
    }

    Kind kind();

    /** The statement's text as submitted, without the terminating semicolon. */
    String sql();
}
