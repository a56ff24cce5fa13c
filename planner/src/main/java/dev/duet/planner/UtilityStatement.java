package dev.duet.planner;

import java.util.Objects;
import org.apache.calcite.sql.SqlNode;

/**
 * A statement that neither reads nor writes tables: transaction control and session settings.
 * The engine interprets {@link #node()}: Calcite Babel's {@code SqlBegin} (its transaction modes),
 * {@code SqlCommit} / {@code SqlRollback} (AND [NO] CHAIN), {@code SqlShow}, {@code SqlDiscard},
 * and Calcite's {@code SqlSetOption} for SET and RESET (RESET has a null value; {@code SET TIME
 * ZONE} and {@code SET TRANSACTION} have {@code SqlSetOptions.Names} symbols as names).
 */
public record UtilityStatement(Type type, SqlNode node, String sql) implements PlannedStatement {
    /** The utility statements Babel parses. */
    public enum Type {
        BEGIN, COMMIT, ROLLBACK, SET, SHOW, DISCARD
    }

    public UtilityStatement {
        Objects.requireNonNull(type, "type is null");
        Objects.requireNonNull(node, "node is null");
        Objects.requireNonNull(sql, "sql is null");
    }

    @Override
    public Kind kind() {
        return Kind.UTILITY;
    }
}
