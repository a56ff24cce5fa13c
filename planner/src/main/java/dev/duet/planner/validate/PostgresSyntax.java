package dev.duet.planner.validate;

import dev.duet.core.SqlState;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Gives operators the meaning PostgreSQL gives them where Calcite's grammar disagrees, by
 * rewriting the parsed tree in place before validation: {@code a ^ b} is exponentiation
 * ({@code POWER}), not Calcite's bitwise XOR (PostgreSQL spells XOR {@code #}). A negative
 * literal LIMIT or OFFSET fails here with PostgreSQL's 2201W / 2201X (a negative parameter value
 * fails when the plan runs): Calcite's optimizer assumes both are never negative.
 */
public final class PostgresSyntax extends SqlBasicVisitor<Void> {
    private static final PostgresSyntax INSTANCE = new PostgresSyntax();

    private PostgresSyntax() {
    }

    /** Rewrites {@code node} in place. */
    public static void rewrite(SqlNode node) {
        node.accept(INSTANCE);
    }

    @Override
    public Void visit(SqlCall call) {
        if (call.getKind() == SqlKind.BITXOR && call instanceof SqlBasicCall basic && "^".equals(call.getOperator().getName())) {
            basic.setOperator(SqlStdOperatorTable.POWER);
        }
        if (call instanceof SqlOrderBy orderBy) {
            requireNotNegative(orderBy.fetch, SqlState.INVALID_ROW_COUNT_IN_LIMIT_CLAUSE, "LIMIT");
            requireNotNegative(orderBy.offset, SqlState.INVALID_ROW_COUNT_IN_RESULT_OFFSET_CLAUSE, "OFFSET");
        }
        return super.visit(call);
    }

    private static void requireNotNegative(SqlNode bound, SqlState state, String clause) {
        if (bound instanceof SqlNumericLiteral n && n.signum() < 0) {
            throw new NodeError(state, clause + " must not be negative", n.getParserPosition());
        }
    }
}
