package dev.duet.planner.convert;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Rejects, at planning time, casts of string literals that can never succeed, as PostgreSQL
 * rejects them when it analyses the statement: {@code 'a' + 1} and
 * {@code INSERT INTO t (int_col) VALUES ('abc')} fail with 22P02
 * ({@code invalid input syntax for type integer: "a"}), {@code '99999999999'::int} with 22003.
 * Valid literal casts have already been folded into typed literals by constant reduction; a cast
 * that survives it and also parses here is left for the executor.
 */
final class LiteralCasts {
    private LiteralCasts() {
    }

    static void check(RelNode plan) {
        new RelVisitor() {
            @Override
            public void visit(RelNode node, int ordinal, RelNode parent) {
                node.accept(new RexShuttle() {
                    @Override
                    public RexNode visitCall(RexCall call) {
                        if (call.getKind() == SqlKind.CAST && call.getOperands().get(0) instanceof RexLiteral literal
                                && SqlTypeUtil.isCharacter(literal.getType()) && literal.getValue2() != null) {
                            checkCast(literal.getValueAs(String.class), call.getType().getSqlTypeName());
                        }
                        return super.visitCall(call);
                    }
                });
                super.visit(node, ordinal, parent);
            }
        }.go(plan);
    }

    private static void checkCast(String text, SqlTypeName target) {
        String s = text.trim();
        switch (target) {
            case SMALLINT -> integer(text, s, Short.MIN_VALUE, Short.MAX_VALUE, "smallint");
            case INTEGER -> integer(text, s, Integer.MIN_VALUE, Integer.MAX_VALUE, "integer");
            case BIGINT -> integer(text, s, Long.MIN_VALUE, Long.MAX_VALUE, "bigint");
            case DECIMAL -> {
                if (!isNumber(s)) {
                    throw invalid("numeric", text);
                }
            }
            case REAL, FLOAT, DOUBLE -> {
                String l = s.toLowerCase(Locale.ROOT);
                if (!isNumber(s) && !l.equals("nan") && !l.matches("[+-]?(inf|infinity)")) {
                    throw invalid(target == SqlTypeName.REAL ? "real" : "double precision", text);
                }
            }
            case BOOLEAN -> {
                switch (s.toLowerCase(Locale.ROOT)) {
                    case "t", "true", "y", "yes", "on", "1", "f", "false", "n", "no", "off", "0" -> {
                    }
                    default -> throw invalid("boolean", text);
                }
            }
            case DATE -> {
                try {
                    LocalDate.parse(s);
                } catch (DateTimeParseException e) {
                    throw invalid("date", text);
                }
            }
            case TIMESTAMP -> {
                try {
                    if (s.length() == 10) {
                        LocalDate.parse(s);
                    } else {
                        LocalDateTime.parse(s.replace(' ', 'T'));
                    }
                } catch (DateTimeParseException e) {
                    throw invalid("timestamp", text);
                }
            }
            default -> {
            }
        }
    }

    private static void integer(String text, String s, long min, long max, String typeName) {
        if (!s.matches("[+-]?\\d+")) {
            throw invalid(typeName, text);
        }
        BigDecimal v = new BigDecimal(s);
        if (v.compareTo(BigDecimal.valueOf(min)) < 0 || v.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new DuetException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                    "value \"" + text + "\" is out of range for type " + typeName);
        }
    }

    private static boolean isNumber(String s) {
        return s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    }

    private static DuetException invalid(String typeName, String text) {
        return new DuetException(SqlState.INVALID_TEXT_REPRESENTATION,
                "invalid input syntax for type " + typeName + ": \"" + text + "\"");
    }
}
