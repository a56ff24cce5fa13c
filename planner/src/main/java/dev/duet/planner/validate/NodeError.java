package dev.duet.planner.validate;

import dev.duet.core.SqlState;
import java.util.Objects;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * An error Duet's own validation code raises at a syntax-tree node: its SQLSTATE, message and
 * the node's position within the statement. {@link ValidationErrors} turns it into a
 * {@link dev.duet.planner.PositionedException} located in the submitted text.
 */
public final class NodeError extends RuntimeException {
    private final SqlState state;
    private final SqlParserPos pos;

    public NodeError(SqlState state, String message, SqlParserPos pos) {
        super(message, null, false, false);
        this.state = Objects.requireNonNull(state, "state is null");
        this.pos = Objects.requireNonNull(pos, "pos is null");
    }

    public SqlState state() {
        return state;
    }

    public SqlParserPos pos() {
        return pos;
    }
}
