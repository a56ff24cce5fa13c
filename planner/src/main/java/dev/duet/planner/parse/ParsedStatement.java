package dev.duet.planner.parse;

import java.util.Objects;
import org.apache.calcite.sql.SqlNode;

/**
 * One parsed statement: Calcite's syntax tree and where its text lies in the submitted SQL.
 * The tree is mutable (validation rewrites it): plan a parsed statement once.
 */
public record ParsedStatement(SqlNode node, SourceText source) {
    public ParsedStatement {
        Objects.requireNonNull(node, "node is null");
        Objects.requireNonNull(source, "source is null");
    }

    /** The statement's own text, without the terminating semicolon. */
    public String sql() {
        return source.text();
    }
}
