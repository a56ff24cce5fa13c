package dev.duet.planner.validate;

import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Gives operators the meaning PostgreSQL gives them where Calcite's grammar disagrees, by
 * rewriting the parsed tree in place before validation: {@code a ^ b} is exponentiation
 * ({@code POWER}), not Calcite's bitwise XOR (PostgreSQL spells XOR {@code #}).
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
        return super.visit(call);
    }
}
