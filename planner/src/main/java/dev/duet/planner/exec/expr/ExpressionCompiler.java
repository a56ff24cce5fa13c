package dev.duet.planner.exec.expr;

import com.google.common.collect.BoundType;
import com.google.common.collect.Range;
import com.google.common.collect.RangeSet;
import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.core.types.DataType.Kind;
import dev.duet.core.types.TextValues;
import dev.duet.core.types.Values;
import dev.duet.planner.exec.expr.CompiledExpression.Factory;
import dev.duet.planner.types.DuetTypeSystem;
import dev.duet.planner.types.TypeMapping;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUnknownAs;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlLikeOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.fun.SqlTrimFunction;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Sarg;
import org.apache.calcite.util.TimestampString;

/**
 * Compiles Calcite scalar expressions ({@link RexNode}: input references, literals, calls) over a
 * batch of known columns into {@link CompiledExpression}s evaluated a batch at a time.
 *
 * <p>Calcite's types decide the result: the compiler aligns operands itself where Calcite leaves
 * them mixed ({@code SMALLINT * BIGINT}, {@code DECIMAL + INTEGER}, {@code DATE < TIMESTAMP}),
 * computes SMALLINT and REAL arithmetic in INTEGER and DOUBLE and narrows the result, folds casts
 * of constants, and gives comparisons with a constant their own kernels. {@code SEARCH} becomes an
 * IN-list lookup when its Sarg is a set of points (or the complement of one), otherwise
 * {@link RexUtil#expandSearch}'s comparisons; COALESCE, NULLIF and IS [NOT] DISTINCT FROM become
 * CASE.
 *
 * <p>Anything else fails at compile time with 0A000 naming the operator, never with a wrong
 * answer at run time.
 */
public final class ExpressionCompiler {
    private static final RexBuilder DEFAULT_REX_BUILDER =
            new RexBuilder(new SqlTypeFactoryImpl(DuetTypeSystem.INSTANCE));
    /** PostgreSQL's default LIKE escape character. */
    private static final String DEFAULT_ESCAPE = "\\";

    private final List<BatchColumn> input;
    private final RexBuilder rexBuilder;

    private ExpressionCompiler(List<BatchColumn> input, RexBuilder rexBuilder) {
        this.input = List.copyOf(input);
        this.rexBuilder = rexBuilder;
    }

    /** Compiles {@code expression} over batches of {@code input}'s columns. 0A000 if not supported. */
    public static CompiledExpression compile(RexNode expression, List<BatchColumn> input) {
        return compile(expression, input, DEFAULT_REX_BUILDER);
    }

    /** As {@link #compile(RexNode, List)}, rewriting with the plan's own {@link RexBuilder}. */
    public static CompiledExpression compile(RexNode expression, List<BatchColumn> input, RexBuilder rexBuilder) {
        Objects.requireNonNull(expression, "expression is null");
        Objects.requireNonNull(input, "input is null");
        Objects.requireNonNull(rexBuilder, "rexBuilder is null");
        ExpressionCompiler compiler = new ExpressionCompiler(input, rexBuilder);
        Node node = compiler.compile(expression);
        DataType declared = typeOf(expression);
        node = compiler.coerce(node, declared);
        if (!node.vectorType.equals(declared) && declared.kind() == Kind.DECIMAL) {
            // A no-op precision widening: copy so that the vectors carry the declared Arrow type.
            Node source = node;
            node = new Node(declared, declared, false, null, -1, false,
                    q -> Cast.create(source.vectorType, declared, q.allocator(), source.factory.open(q)));
        }
        List<CompiledExpression> conjuncts = List.of();
        if (expression.getKind() == SqlKind.AND && declared.kind() == Kind.BOOLEAN) {
            List<RexNode> ops = ((RexCall) expression).getOperands();
            List<Node> nodes = new ArrayList<>(ops.size());
            for (RexNode op : ops) {
                nodes.add(new ExpressionCompiler(input, rexBuilder).compile(op));
            }
            List<CompiledExpression> c = new ArrayList<>(ops.size());
            for (int i : evaluationOrder(ops, nodes)) {
                c.add(compile(ops.get(i), input, rexBuilder));
            }
            conjuncts = c;
        }
        return new CompiledExpression(expression, declared, expression.getType().isNullable(), node.inputIndex,
                node.factory, conjuncts);
    }

    /**
     * The order in which the operands of an AND or OR are evaluated: as written, or, when none of
     * them can raise an error (their order then cannot change the result), stably sorted by
     * {@link #evaluationCost}.
     */
    private static int[] evaluationOrder(List<RexNode> ops, List<Node> nodes) {
        Integer[] order = new Integer[ops.size()];
        boolean allSafe = true;
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            allSafe &= nodes.get(i).safe;
        }
        if (allSafe) {
            Arrays.sort(order, Comparator.comparingInt(i -> evaluationCost(ops.get(i))));
        }
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    /**
     * A compiled subexpression: its SQL type, the type its vectors actually carry (narrower for a
     * DECIMAL whose precision was widened without a copy), its value if it is a constant, the
     * input column if it is a plain reference, and whether evaluating it can never raise an error
     * ({@code safe}: column references, constants, comparisons and boolean logic of safe
     * operands), which lets AND and OR evaluate it on rows whose result is already decided.
     */
    private record Node(DataType type, DataType vectorType, boolean isConstant, Object constant, int inputIndex,
            boolean safe, Factory factory) {
        static Node of(DataType type, Factory factory) {
            return new Node(type, type, false, null, -1, false, factory);
        }

        static Node safe(DataType type, Factory factory) {
            return new Node(type, type, false, null, -1, true, factory);
        }

        static Node constant(DataType type, Object value) {
            return new Node(type, type, true, value, -1, true, q -> new ConstantEvaluator(type, value, q.allocator()));
        }

        Node withType(DataType t) {
            return new Node(t, vectorType, isConstant, constant, inputIndex, safe, factory);
        }
    }

    // ------------------------------------------------------------------ dispatch

    private Node compile(RexNode e) {
        if (e instanceof RexInputRef ref) {
            int index = ref.getIndex();
            if (index >= input.size()) {
                throw new IllegalStateException("input reference $" + index + " but the input has "
                        + input.size() + " columns");
            }
            DataType t = input.get(index).type();
            return new Node(t, t, false, null, index, true, q -> new InputRefEvaluator(t, index, q.allocator()));
        }
        if (e instanceof RexLiteral literal) {
            DataType t = typeOf(literal);
            return Node.constant(t, literalValue(literal, t));
        }
        if (e instanceof RexCall call) {
            return call(call);
        }
        if (e instanceof RexDynamicParam param) {
            // constant within one execution: the value is read when the expression is opened
            DataType t = typeOf(param);
            int index = param.getIndex();
            return Node.safe(t, q -> new ConstantEvaluator(t, parameterValue(q, index, t), q.allocator()));
        }
        throw EvaluationErrors.unsupported(e.getKind().lowerName.replace('_', ' ') + " (" + e + ")");
    }

    private Node call(RexCall call) {
        List<RexNode> ops = call.getOperands();
        switch (call.getKind()) {
            case CAST:
                return coerceExplicit(compile(ops.get(0)), typeOf(call));
            case PLUS:
                return arithmetic(call, Arithmetic.Op.ADD);
            case MINUS:
                return arithmetic(call, Arithmetic.Op.SUBTRACT);
            case TIMES:
                return arithmetic(call, Arithmetic.Op.MULTIPLY);
            case DIVIDE:
                return arithmetic(call, Arithmetic.Op.DIVIDE);
            case MOD:
                return arithmetic(call, Arithmetic.Op.MOD);
            case MINUS_PREFIX:
                return negate(call);
            case PLUS_PREFIX:
                return compile(ops.get(0));
            case EQUALS:
                return comparison(call, Comparison.Op.EQUAL);
            case NOT_EQUALS:
                return comparison(call, Comparison.Op.NOT_EQUAL);
            case LESS_THAN:
                return comparison(call, Comparison.Op.LESS);
            case LESS_THAN_OR_EQUAL:
                return comparison(call, Comparison.Op.LESS_OR_EQUAL);
            case GREATER_THAN:
                return comparison(call, Comparison.Op.GREATER);
            case GREATER_THAN_OR_EQUAL:
                return comparison(call, Comparison.Op.GREATER_OR_EQUAL);
            case IS_NULL:
                return test(call, BooleanLogic.Test.IS_NULL);
            case IS_NOT_NULL:
                return test(call, BooleanLogic.Test.IS_NOT_NULL);
            case IS_TRUE:
                return test(call, BooleanLogic.Test.IS_TRUE);
            case IS_NOT_TRUE:
                return test(call, BooleanLogic.Test.IS_NOT_TRUE);
            case IS_FALSE:
                return test(call, BooleanLogic.Test.IS_FALSE);
            case IS_NOT_FALSE:
                return test(call, BooleanLogic.Test.IS_NOT_FALSE);
            case IS_UNKNOWN:
                return test(call, BooleanLogic.Test.IS_NULL);
            case NOT:
                return test(call, BooleanLogic.Test.NOT);
            case AND:
                return junction(call, true);
            case OR:
                return junction(call, false);
            case IS_DISTINCT_FROM:
            case IS_NOT_DISTINCT_FROM:
                return compile(distinctAsCase(call));
            case CASE:
                return caseWhen(call);
            case COALESCE:
                return compile(coalesceAsCase(call));
            case NULLIF:
                return compile(rexBuilder.makeCall(call.getType(), SqlStdOperatorTable.CASE, List.of(
                        rexBuilder.makeCall(SqlStdOperatorTable.EQUALS, ops.get(0), ops.get(1)),
                        rexBuilder.makeNullLiteral(call.getType()), ops.get(0))));
            case SEARCH:
                return search(call);
            case LIKE:
                return like(call);
            case EXTRACT:
                return extract(call);
            case DATE_TRUNC:
                return dateTrunc(call);
            case CEIL:
            case FLOOR:
                return ceilFloor(call);
            case POSITION:
                return position(call);
            case TRIM:
                return trim(call);
            case CHAR_LENGTH:
                return length(call, true);
            case CONCAT_WITH_NULL:
                return concat(call, true);
            default:
                break;
        }
        String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
        switch (name) {
            case "||":
                return concat(call, false);
            case "CONCAT":
                return concat(call, true);
            case "SUBSTRING":
            case "SUBSTR":
                return substring(call);
            case "UPPER":
                return caseMap(call, true);
            case "LOWER":
                return caseMap(call, false);
            case "CHAR_LENGTH":
            case "CHARACTER_LENGTH":
            case "LENGTH":
                return length(call, true);
            case "OCTET_LENGTH":
                return length(call, false);
            case "ABS":
                return abs(call);
            case "ROUND":
                return round(call);
            case "MOD":
                return arithmetic(call, Arithmetic.Op.MOD);
            case "DATE_PART":
                return extract(call);
            case "DATE_TRUNC":
                return dateTrunc(call);
            default:
                throw EvaluationErrors.unsupported("function " + call.getOperator().getName());
        }
    }

    // ------------------------------------------------------------------ types

    private static DataType typeOf(RexNode e) {
        return typeOf(e.getType());
    }

    private static DataType typeOf(RelDataType t) {
        DataType d = TypeMapping.toDataTypeOrNull(t);
        if (d == null) {
            throw EvaluationErrors.unsupported("type " + TypeMapping.describe(t));
        }
        return d;
    }

    /**
     * Parameter {@code index} of the execution as a canonical value of {@code type}: 07001 if it
     * is not bound, a data error (22003, 22001, ...) if the bound value does not fit the type.
     */
    public static Object parameterValue(QueryContext context, int index, DataType type) {
        return Values.coerce(type, context.parameter(index), QueryContext.parameterName(index));
    }

    /**
     * As {@link #parameterValue(QueryContext, int, DataType)} for parameter values bound without a
     * context ({@code parameters[index]}): for statements that run no operator and so need none.
     */
    public static Object parameterValue(Object[] parameters, int index, DataType type) {
        if (index < 0 || index >= parameters.length) {
            throw DuetException.of(SqlState.WRONG_PARAMETER_COUNT,
                    "no value was bound for parameter $%d (%d bound)", index + 1, parameters.length);
        }
        return Values.coerce(type, parameters[index], QueryContext.parameterName(index));
    }

    /** The canonical value of a literal as a value of {@code type} (see {@link DataType}). */
    public static Object literalValue(RexLiteral literal, DataType type) {
        if (literal.isNull()) {
            return null;
        }
        return switch (type.kind()) {
            case BOOLEAN -> literal.getValueAs(Boolean.class);
            case SMALLINT, INTEGER, BIGINT, DECIMAL -> Values.coerce(type, literal.getValueAs(BigDecimal.class), null);
            case REAL, DOUBLE -> Values.coerce(type, literal.getValueAs(Double.class), null);
            case VARCHAR -> literal.getValueAs(String.class);
            case DATE -> LocalDate.ofEpochDay(literal.getValueAs(DateString.class).getDaysSinceEpoch());
            case TIMESTAMP -> Values.coerce(type,
                    LocalDateTime.parse(literal.getValueAs(TimestampString.class).toString().replace(' ', 'T')), null);
            case BYTEA -> literal.getValueAs(ByteString.class).getBytes();
        };
    }

    private static boolean isInteger(Kind k) {
        return k == Kind.SMALLINT || k == Kind.INTEGER || k == Kind.BIGINT;
    }

    private static boolean isFloat(Kind k) {
        return k == Kind.REAL || k == Kind.DOUBLE;
    }

    /** Decimal digits an integer type needs. */
    private static int integerDigits(Kind k) {
        return switch (k) {
            case SMALLINT -> 5;
            case INTEGER -> 10;
            default -> 19;
        };
    }

    /** The DECIMAL type that holds every value of an integer or DECIMAL type at {@code scale}. */
    private static DataType decimalFor(DataType t, int scale) {
        int digits = t.kind() == Kind.DECIMAL ? t.precision() - t.scale() : integerDigits(t.kind());
        return DataType.decimal(Math.min(DataType.MAX_DECIMAL_PRECISION, digits + scale), scale);
    }

    /** The type two operands of a comparison are aligned to. */
    private static DataType comparisonType(DataType a, DataType b) {
        Kind x = a.kind();
        Kind y = b.kind();
        if (x == y) {
            return switch (x) {
                case SMALLINT -> DataType.INTEGER;
                case REAL -> DataType.DOUBLE;
                case VARCHAR -> DataType.TEXT;
                case DECIMAL -> {
                    int scale = Math.max(a.scale(), b.scale());
                    int digits = Math.max(a.precision() - a.scale(), b.precision() - b.scale());
                    yield DataType.decimal(Math.min(DataType.MAX_DECIMAL_PRECISION, digits + scale), scale);
                }
                default -> a;
            };
        }
        if (Cast.isNumeric(x) && Cast.isNumeric(y)) {
            if (isFloat(x) || isFloat(y)) {
                return DataType.DOUBLE;
            }
            if (x == Kind.DECIMAL || y == Kind.DECIMAL) {
                int scale = Math.max(a.scale(), b.scale());
                int digits = Math.max(decimalFor(a, 0).precision(), decimalFor(b, 0).precision());
                return DataType.decimal(Math.min(DataType.MAX_DECIMAL_PRECISION, digits + scale), scale);
            }
            return x == Kind.BIGINT || y == Kind.BIGINT ? DataType.BIGINT : DataType.INTEGER;
        }
        if ((x == Kind.DATE && y == Kind.TIMESTAMP) || (x == Kind.TIMESTAMP && y == Kind.DATE)) {
            return DataType.TIMESTAMP;
        }
        if (x == Kind.VARCHAR && Cast.supports(a, b)) {
            return b;
        }
        if (y == Kind.VARCHAR && Cast.supports(b, a)) {
            return a;
        }
        throw EvaluationErrors.unsupported("comparison between " + a + " and " + b);
    }

    /**
     * {@code node} as a value of {@code target} where Calcite's typing asks for it: itself if
     * already one, else a cast (folded for constants). String lengths are ignored here (a
     * function typed VARCHAR(20) never produces longer strings); only an explicit CAST truncates.
     */
    private Node coerce(Node node, DataType target) {
        if (Cast.isNoOp(node.type, target)
                || (node.type.kind() == Kind.VARCHAR && target.kind() == Kind.VARCHAR)) {
            return node.type.equals(target) ? node : node.withType(target);
        }
        return coerceExplicit(node, target);
    }

    private static Node node(boolean safe, DataType type, Factory factory) {
        return safe ? Node.safe(type, factory) : Node.of(type, factory);
    }

    private static boolean isNull(Node n) {
        return n.isConstant && n.constant == null;
    }

    private Node coerceExplicit(Node node, DataType target) {
        if (Cast.isNoOp(node.type, target)) {
            return node.type.equals(target) ? node : node.withType(target);
        }
        if (isNull(node)) {
            return Node.constant(target, null);
        }
        if (!Cast.supports(node.type, target)) {
            throw EvaluationErrors.unsupported("CAST from " + node.type + " to " + target);
        }
        if (node.isConstant) {
            Object folded = foldCast(node.constant, node.type, target);
            if (folded != NOT_FOLDED) {
                return Node.constant(target, folded);
            }
        }
        DataType from = node.vectorType;
        Factory input = node.factory;
        return Node.of(target, q -> Cast.create(from, target, q.allocator(), input.open(q)));
    }

    private static final Object NOT_FOLDED = new Object();

    /**
     * The value of a cast of a constant where the conversion is the same as the run-time cast's:
     * widening of numbers, integers and decimals to DECIMAL (half away from zero), DATE to
     * TIMESTAMP, text to anything (PostgreSQL's input rules). Anything else, and any conversion
     * that fails, is left to run time (so an error is only raised if a row is evaluated).
     */
    private static Object foldCast(Object value, DataType from, DataType to) {
        if (value == null) {
            return null;
        }
        try {
            Kind f = from.kind();
            Kind t = to.kind();
            if (f == Kind.VARCHAR && t != Kind.VARCHAR) {
                return TextValues.parse(to, (String) value, null);
            }
            if (isInteger(f) && (isInteger(t) || t == Kind.DECIMAL || t == Kind.DOUBLE)) {
                return Values.coerce(to, ((Number) value).longValue(), null);
            }
            if (f == Kind.DECIMAL && (t == Kind.DECIMAL || t == Kind.DOUBLE)) {
                return Values.coerce(to, value, null);
            }
            if (f == Kind.REAL && t == Kind.DOUBLE) {
                return ((Float) value).doubleValue();
            }
            if (f == Kind.DATE && t == Kind.TIMESTAMP) {
                return ((LocalDate) value).atStartOfDay();
            }
        } catch (DuetException e) {
            return NOT_FOLDED;
        }
        return NOT_FOLDED;
    }

    // ------------------------------------------------------------------ arithmetic

    private Node arithmetic(RexCall call, Arithmetic.Op op) {
        RexNode left = call.getOperands().get(0);
        RexNode right = call.getOperands().get(1);
        if (isInterval(right.getType()) && (op == Arithmetic.Op.ADD || op == Arithmetic.Op.SUBTRACT)) {
            return plusInterval(call, compile(left), right, op == Arithmetic.Op.SUBTRACT);
        }
        if (isInterval(left.getType()) && op == Arithmetic.Op.ADD) {
            return plusInterval(call, compile(right), left, false);
        }
        Node l = compile(left);
        Node r = compile(right);
        DataType result = typeOf(call);
        if (isNull(l) || isNull(r)) {
            return Node.constant(result, null);
        }
        if (op == Arithmetic.Op.SUBTRACT && l.type.kind() == Kind.DATE && r.type.kind() == Kind.DATE) {
            if (result.kind() != Kind.INTEGER && result.kind() != Kind.BIGINT) {
                throw EvaluationErrors.unsupported("date - date with a result of type " + result);
            }
            Factory lf = l.factory;
            Factory rf = r.factory;
            return Node.of(result, q -> new DateTimeFunctions.DateDifference(result, q.allocator(), lf.open(q), rf.open(q)));
        }
        if (!Cast.isNumeric(l.type.kind()) || !Cast.isNumeric(r.type.kind()) || !Cast.isNumeric(result.kind())) {
            throw EvaluationErrors.unsupported("operator " + call.getOperator().getName() + " on " + l.type + " and "
                    + r.type);
        }
        DataType compute = switch (result.kind()) {
            case SMALLINT, INTEGER -> DataType.INTEGER;
            case REAL, DOUBLE -> DataType.DOUBLE;
            default -> result;
        };
        if (op == Arithmetic.Op.MOD) {
            // Calcite types MOD(x, y) as y's type (|x % y| < |y|): compute in a type that holds x too.
            compute = comparisonType(l.type, r.type);
        }
        DataType computeType = compute;
        if (compute.kind() == Kind.DECIMAL) {
            l = coerce(l, decimalOperand(l.type, compute));
            r = coerce(r, decimalOperand(r.type, compute));
        } else {
            l = coerce(l, compute);
            r = coerce(r, compute);
        }
        Factory lf = l.factory;
        Factory rf = r.factory;
        Node computed = Node.of(computeType, q -> Arithmetic.create(op, computeType, q.allocator(), lf.open(q), rf.open(q)));
        return coerce(computed, result);
    }

    /** The DECIMAL type a DECIMAL arithmetic operand is read as: itself, or an integer as DECIMAL(n, 0). */
    private static DataType decimalOperand(DataType operand, DataType result) {
        if (operand.kind() == Kind.DECIMAL) {
            return operand;
        }
        if (isInteger(operand.kind())) {
            return decimalFor(operand, 0);
        }
        return DataType.decimal(DataType.MAX_DECIMAL_PRECISION, result.scale());
    }

    private Node negate(RexCall call) {
        Node x = compile(call.getOperands().get(0));
        DataType result = typeOf(call);
        if (!Cast.isNumeric(x.type.kind())) {
            throw EvaluationErrors.unsupported("unary minus on " + x.type);
        }
        if (x.type.kind() != result.kind()) {
            x = coerce(x, result);
        }
        Node in = x;
        DataType t = in.vectorType;
        return coerce(Node.of(t, q -> new Arithmetic.Negate(t, q.allocator(), in.factory.open(q))), result);
    }

    private static boolean isInterval(RelDataType t) {
        return t.getSqlTypeName().getFamily() == SqlTypeFamily.INTERVAL_YEAR_MONTH
                || t.getSqlTypeName().getFamily() == SqlTypeFamily.INTERVAL_DAY_TIME;
    }

    private Node plusInterval(RexCall call, Node datetime, RexNode interval, boolean subtract) {
        if (!(interval instanceof RexLiteral literal) || literal.isNull()) {
            throw EvaluationErrors.unsupported("date/time arithmetic with a non-constant interval (" + interval + ")");
        }
        Kind k = datetime.type.kind();
        if (k != Kind.DATE && k != Kind.TIMESTAMP) {
            throw EvaluationErrors.unsupported("operator " + call.getOperator().getName() + " on " + datetime.type
                    + " and an interval");
        }
        DataType result = typeOf(call);
        if (result.kind() != Kind.DATE && result.kind() != Kind.TIMESTAMP) {
            throw EvaluationErrors.unsupported("date/time arithmetic with a result of type " + result);
        }
        long value = literal.getValueAs(BigDecimal.class).longValueExact();
        if (subtract) {
            value = Math.negateExact(value);
        }
        boolean yearMonth = interval.getType().getSqlTypeName().getFamily() == SqlTypeFamily.INTERVAL_YEAR_MONTH;
        long months = yearMonth ? value : 0;
        long micros = yearMonth ? 0 : Math.multiplyExact(value, 1000L); // Calcite's day-time intervals are milliseconds
        Factory in = datetime.factory;
        return Node.of(result, q -> new DateTimeFunctions.PlusInterval(result, q.allocator(), in.open(q), months, micros));
    }

    // ------------------------------------------------------------------ comparisons and logic

    private Node comparison(RexCall call, Comparison.Op op) {
        Node l = compile(call.getOperands().get(0));
        Node r = compile(call.getOperands().get(1));
        DataType common = comparisonType(l.type, r.type);
        l = coerce(l, common);
        r = coerce(r, common);
        if (l.isConstant && !r.isConstant) {
            Node t = l;
            l = r;
            r = t;
            op = op.flip();
        }
        Comparison.Op o = op;
        Factory lf = l.factory;
        if (r.isConstant) {
            if (r.constant == null) {
                return Node.constant(DataType.BOOLEAN, null);
            }
            Object c = r.constant;
            return node(l.safe, DataType.BOOLEAN, q -> Comparison.createWithConstant(o, common, q.allocator(), lf.open(q), c));
        }
        Factory rf = r.factory;
        return node(l.safe && r.safe, DataType.BOOLEAN, q -> Comparison.create(o, common, q.allocator(), lf.open(q), rf.open(q)));
    }

    private Node test(RexCall call, BooleanLogic.Test test) {
        Node x = compile(call.getOperands().get(0));
        if ((test != BooleanLogic.Test.IS_NULL && test != BooleanLogic.Test.IS_NOT_NULL) && x.type.kind() != Kind.BOOLEAN) {
            throw EvaluationErrors.unsupported(call.getOperator().getName() + " on " + x.type);
        }
        Factory in = x.factory;
        return node(x.safe, DataType.BOOLEAN, q -> new BooleanLogic.UnaryTest(test, q.allocator(), in.open(q)));
    }

    /**
     * AND and OR, evaluated left to right, each operand only on the rows the ones before leave
     * undecided. When no operand can raise an error, their order cannot change the result, and
     * they are reordered (stably) by {@link #evaluationCost}: comparisons of a fixed-width
     * column with constants first, then other fixed-width operands, then those reading strings,
     * so that the costly string tests run only on the rows the cheap ones keep.
     */
    private Node junction(RexCall call, boolean and) {
        List<RexNode> ops = call.getOperands();
        List<Node> nodes = new ArrayList<>(ops.size());
        for (RexNode op : ops) {
            nodes.add(requireBoolean(compile(op)));
        }
        int[] order = evaluationOrder(ops, nodes);
        Node acc = nodes.get(order[0]);
        for (int i = 1; i < order.length; i++) {
            Factory lf = acc.factory;
            Node right = nodes.get(order[i]);
            Factory rf = right.factory;
            boolean rightSafe = right.safe;
            acc = node(acc.safe && rightSafe, DataType.BOOLEAN,
                    q -> new BooleanLogic.Junction(and, rightSafe, q.allocator(), lf.open(q), rf.open(q)));
        }
        return acc;
    }

    /**
     * A rank of how costly a boolean operand is per row: 0 for a comparison (or IN list, range
     * search, null test) of one fixed-width column with constants, 1 for other operands over
     * fixed-width values only, 2 for anything that reads or computes a string.
     */
    private static int evaluationCost(RexNode e) {
        if (readsStrings(e)) {
            return 2;
        }
        if (e instanceof RexCall c && (c.getKind() == SqlKind.SEARCH || c.getKind() == SqlKind.IS_NULL
                || c.getKind() == SqlKind.IS_NOT_NULL || SqlKind.COMPARISON.contains(c.getKind()))) {
            int columns = 0;
            for (RexNode o : c.getOperands()) {
                if (o instanceof RexInputRef) {
                    columns++;
                } else if (!(o instanceof RexLiteral)) {
                    return 1;
                }
            }
            return columns <= 1 ? 0 : 1;
        }
        return 1;
    }

    private static boolean readsStrings(RexNode e) {
        if (!(e instanceof RexLiteral) && SqlTypeUtil.inCharOrBinaryFamilies(e.getType())) {
            return true;
        }
        if (e instanceof RexCall c) {
            for (RexNode o : c.getOperands()) {
                if (readsStrings(o)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Node requireBoolean(Node n) {
        if (n.type.kind() != Kind.BOOLEAN) {
            throw EvaluationErrors.unsupported("a " + n.type + " operand of a boolean operator");
        }
        return n;
    }

    private RexNode distinctAsCase(RexCall call) {
        RexNode a = call.getOperands().get(0);
        RexNode b = call.getOperands().get(1);
        boolean distinct = call.getKind() == SqlKind.IS_DISTINCT_FROM;
        return rexBuilder.makeCall(SqlStdOperatorTable.CASE,
                rexBuilder.makeCall(SqlStdOperatorTable.IS_NULL, a),
                rexBuilder.makeCall(distinct ? SqlStdOperatorTable.IS_NOT_NULL : SqlStdOperatorTable.IS_NULL, b),
                rexBuilder.makeCall(SqlStdOperatorTable.IS_NULL, b),
                rexBuilder.makeLiteral(distinct),
                rexBuilder.makeCall(distinct ? SqlStdOperatorTable.NOT_EQUALS : SqlStdOperatorTable.EQUALS, a, b));
    }

    private RexNode coalesceAsCase(RexCall call) {
        List<RexNode> ops = call.getOperands();
        List<RexNode> caseOps = new ArrayList<>();
        for (int i = 0; i < ops.size() - 1; i++) {
            caseOps.add(rexBuilder.makeCall(SqlStdOperatorTable.IS_NOT_NULL, ops.get(i)));
            caseOps.add(ops.get(i));
        }
        caseOps.add(ops.get(ops.size() - 1));
        return rexBuilder.makeCall(call.getType(), SqlStdOperatorTable.CASE, caseOps);
    }

    private Node caseWhen(RexCall call) {
        DataType result = typeOf(call);
        List<RexNode> ops = call.getOperands();
        int whens = ops.size() / 2;
        Factory[] conditions = new Factory[whens];
        Factory[] values = new Factory[whens + 1];
        for (int k = 0; k < whens; k++) {
            conditions[k] = requireBoolean(compile(ops.get(2 * k))).factory;
            values[k] = coerce(compile(ops.get(2 * k + 1)), result).factory;
        }
        RexNode otherwise = ops.size() % 2 == 1 ? ops.get(ops.size() - 1) : null;
        if (otherwise != null && !(otherwise instanceof RexLiteral l && l.isNull())) {
            values[whens] = coerce(compile(otherwise), result).factory;
        }
        return Node.of(result, q -> {
            VectorEvaluator[] c = new VectorEvaluator[conditions.length];
            VectorEvaluator[] v = new VectorEvaluator[values.length];
            for (int k = 0; k < c.length; k++) {
                c[k] = conditions[k].open(q);
            }
            for (int k = 0; k < v.length; k++) {
                v[k] = values[k] == null ? null : values[k].open(q);
            }
            return new CaseEvaluator(result, q.allocator(), c, v);
        });
    }

    private Node search(RexCall call) {
        RexNode ref = call.getOperands().get(0);
        RexLiteral sargLiteral = (RexLiteral) call.getOperands().get(1);
        Sarg<?> sarg = sargLiteral.getValueAs(Sarg.class);
        if (sarg != null && (sarg.isPoints() || sarg.isComplementedPoints())) {
            Node x = compile(ref);
            if (InList.supports(x.vectorType)) {
                Node list = inList(x, sarg);
                if (list != null) {
                    return list;
                }
            }
        }
        if (sarg != null && sarg.nullAs == RexUnknownAs.UNKNOWN && sarg.rangeSet.asRanges().size() == 1) {
            Node range = range(ref, sarg.rangeSet.asRanges().iterator().next());
            if (range != null) {
                return range;
            }
        }
        return compile(RexUtil.expandSearch(rexBuilder, null, call));
    }

    /**
     * {@code low <(=) x <(=) high} as one kernel ({@link Comparison#createRange}) when both bounds
     * are given and are exact values of the operand's type; null otherwise (then the SEARCH is
     * expanded into comparisons, which align the types).
     */
    private Node range(RexNode ref, Range<?> range) {
        if (!range.hasLowerBound() || !range.hasUpperBound()) {
            return null;
        }
        Node x = compile(ref);
        DataType t = x.vectorType; // a no-op precision widening keeps the scale
        if (!Comparison.supportsRange(t)) {
            return null;
        }
        Object low = rangeBound(range.lowerEndpoint(), t);
        Object high = rangeBound(range.upperEndpoint(), t);
        if (low == null || high == null) {
            return null;
        }
        boolean lowInclusive = range.lowerBoundType() == BoundType.CLOSED;
        boolean highInclusive = range.upperBoundType() == BoundType.CLOSED;
        Factory in = x.factory;
        return node(x.safe, DataType.BOOLEAN,
                q -> Comparison.createRange(t, q.allocator(), in.open(q), low, lowInclusive, high, highInclusive));
    }

    /** A Sarg bound as a canonical value of {@code t} if it is exactly one; null otherwise. */
    private static Object rangeBound(Object bound, DataType t) {
        if (bound instanceof BigDecimal bd) {
            try {
                return switch (t.kind()) {
                    case INTEGER -> bd.intValueExact();
                    case BIGINT -> bd.longValueExact();
                    case DECIMAL -> bd.setScale(t.scale());
                    case DOUBLE -> new BigDecimal(bd.doubleValue()).compareTo(bd) == 0 ? bd.doubleValue() : null;
                    default -> null;
                };
            } catch (ArithmeticException e) {
                return null; // a fraction for an integer, more digits than the scale: not a value of t
            }
        }
        if (bound instanceof Double d && t.kind() == Kind.DOUBLE) {
            return d;
        }
        if (bound instanceof DateString d && t.kind() == Kind.DATE) {
            return LocalDate.ofEpochDay(d.getDaysSinceEpoch());
        }
        if (bound instanceof TimestampString ts && t.kind() == Kind.TIMESTAMP) {
            return LocalDateTime.parse(ts.toString().replace(' ', 'T'));
        }
        return null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Node inList(Node x, Sarg<?> sarg) {
        boolean negated = !sarg.isPoints();
        RangeSet set = negated ? ((RangeSet) sarg.rangeSet).complement() : sarg.rangeSet;
        Boolean nullAs = sarg.nullAs == RexUnknownAs.UNKNOWN ? null : sarg.nullAs == RexUnknownAs.TRUE;
        DataType t = x.vectorType; // a no-op precision widening keeps the scale
        boolean bytes = t.kind() == Kind.VARCHAR || t.kind() == Kind.BYTEA;
        List<Object> keys = new ArrayList<>();
        for (Object o : set.asRanges()) {
            Range<?> range = (Range<?>) o;
            Object p = range.lowerEndpoint();
            Object key;
            if (p instanceof BigDecimal bd && (isInteger(t.kind()) || t.kind() == Kind.DECIMAL)) {
                BigDecimal scaled = bd.movePointRight(t.scale());
                if (scaled.stripTrailingZeros().scale() > 0) {
                    continue; // more digits than the column has: no value equals it
                }
                key = scaled.longValueExact();
            } else if (p instanceof NlsString s && t.kind() == Kind.VARCHAR) {
                key = s.getValue().getBytes(StandardCharsets.UTF_8);
            } else if (p instanceof ByteString b && t.kind() == Kind.BYTEA) {
                key = b.getBytes();
            } else if (p instanceof DateString d && t.kind() == Kind.DATE) {
                key = (long) d.getDaysSinceEpoch();
            } else if (p instanceof TimestampString ts && t.kind() == Kind.TIMESTAMP) {
                key = Values.toEpochMicros(LocalDateTime.parse(ts.toString().replace(' ', 'T')));
            } else {
                return null;
            }
            keys.add(key);
        }
        Factory in = x.factory;
        if (bytes) {
            byte[][] k = keys.toArray(new byte[0][]);
            return node(x.safe, DataType.BOOLEAN, q -> InList.ofBytes(in.open(q), k, negated, nullAs, q.allocator()));
        }
        long[] k = keys.stream().mapToLong(v -> (Long) v).toArray();
        return node(x.safe, DataType.BOOLEAN, q -> InList.ofLongs(in.open(q), k, negated, nullAs, q.allocator()));
    }

    // ------------------------------------------------------------------ strings

    private Node string(RexNode e) {
        Node n = compile(e);
        Kind k = n.type.kind();
        if (k != Kind.VARCHAR && k != Kind.BYTEA) {
            n = coerce(n, DataType.TEXT);
        }
        return n;
    }

    private Node like(RexCall call) {
        if (!(call.getOperator() instanceof SqlLikeOperator op)) {
            throw EvaluationErrors.unsupported("operator " + call.getOperator().getName());
        }
        List<RexNode> ops = call.getOperands();
        Node value = coerce(compile(ops.get(0)), DataType.TEXT);
        String escape = DEFAULT_ESCAPE;
        if (ops.size() > 2) {
            if (!(ops.get(2) instanceof RexLiteral e)) {
                throw EvaluationErrors.unsupported("LIKE with a non-constant escape");
            }
            if (e.isNull()) {
                return Node.constant(DataType.BOOLEAN, null);
            }
            escape = e.getValueAs(String.class);
        }
        boolean insensitive = !op.isCaseSensitive();
        boolean negated = op.isNegated();
        String esc = escape;
        Factory vf = value.factory;
        if (ops.get(1) instanceof RexLiteral p) {
            if (p.isNull()) {
                return Node.constant(DataType.BOOLEAN, null);
            }
            LikePattern pattern = StringFunctions.Like.compile(p.getValueAs(String.class), esc, insensitive);
            return node(value.safe, DataType.BOOLEAN,
                    q -> new StringFunctions.Like(pattern, esc, insensitive, negated, q.allocator(), vf.open(q)));
        }
        Factory pf = coerce(compile(ops.get(1)), DataType.TEXT).factory;
        return Node.of(DataType.BOOLEAN, q -> new StringFunctions.Like(null, esc, insensitive, negated, q.allocator(), vf.open(q), pf.open(q)));
    }

    private Node substring(RexCall call) {
        List<RexNode> ops = call.getOperands();
        DataType result = typeOf(call);
        Node s = coerce(string(ops.get(0)), DataType.TEXT);
        List<Factory> fs = new ArrayList<>();
        fs.add(s.factory);
        for (int i = 1; i < ops.size(); i++) {
            fs.add(coerce(compile(ops.get(i)), DataType.BIGINT).factory);
        }
        DataType t = DataType.TEXT;
        return coerce(Node.of(t, q -> new StringFunctions.Substring(t, q.allocator(), open(fs, q))), result);
    }

    private static VectorEvaluator[] open(List<Factory> factories, QueryContext q) {
        VectorEvaluator[] out = new VectorEvaluator[factories.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = factories.get(i).open(q);
        }
        return out;
    }

    private Node caseMap(RexCall call, boolean upper) {
        Factory in = coerce(compile(call.getOperands().get(0)), DataType.TEXT).factory;
        DataType t = DataType.TEXT;
        return coerce(Node.of(t, q -> new StringFunctions.CaseMap(upper, t, q.allocator(), in.open(q))), typeOf(call));
    }

    private Node trim(RexCall call) {
        List<RexNode> ops = call.getOperands();
        SqlTrimFunction.Flag flag = ((RexLiteral) ops.get(0)).getValueAs(SqlTrimFunction.Flag.class);
        boolean leading = flag != SqlTrimFunction.Flag.TRAILING;
        boolean trailing = flag != SqlTrimFunction.Flag.LEADING;
        Factory chars = coerce(compile(ops.get(1)), DataType.TEXT).factory;
        Factory s = coerce(compile(ops.get(2)), DataType.TEXT).factory;
        DataType t = DataType.TEXT;
        return coerce(Node.of(t, q -> new StringFunctions.Trim(leading, trailing, t, q.allocator(), chars.open(q), s.open(q))),
                typeOf(call));
    }

    private Node length(RexCall call, boolean characters) {
        RexNode operand = call.getOperands().get(0);
        boolean chars = characters;
        if (!characters && operand.getKind() == SqlKind.CAST
                && typeOf(((RexCall) operand).getOperands().get(0)).kind() == Kind.VARCHAR) {
            operand = ((RexCall) operand).getOperands().get(0); // octet_length(text): the UTF-8 bytes
        }
        Node s = string(operand);
        if (chars && s.type.kind() == Kind.BYTEA) {
            chars = false; // the length of a byte string is its bytes
        }
        boolean c = chars;
        Factory in = s.factory;
        return coerce(Node.of(DataType.INTEGER, q -> new StringFunctions.Length(c, q.allocator(), in.open(q))), typeOf(call));
    }

    private Node position(RexCall call) {
        List<RexNode> ops = call.getOperands();
        List<Factory> fs = new ArrayList<>();
        fs.add(coerce(compile(ops.get(0)), DataType.TEXT).factory);
        fs.add(coerce(compile(ops.get(1)), DataType.TEXT).factory);
        if (ops.size() > 2) {
            fs.add(coerce(compile(ops.get(2)), DataType.BIGINT).factory);
        }
        return coerce(Node.of(DataType.INTEGER, q -> new StringFunctions.Position(q.allocator(), open(fs, q))), typeOf(call));
    }

    private Node concat(RexCall call, boolean skipNulls) {
        DataType result = typeOf(call);
        boolean binary = result.kind() == Kind.BYTEA;
        DataType t = binary ? DataType.BYTEA : DataType.TEXT;
        List<Factory> fs = new ArrayList<>();
        for (RexNode op : call.getOperands()) {
            fs.add(coerce(compile(op), t).factory);
        }
        Node n = skipNulls
                ? Node.of(t, q -> new StringFunctions.ConcatSkippingNulls(t, q.allocator(), open(fs, q)))
                : Node.of(t, q -> new StringFunctions.Concat(t, q.allocator(), open(fs, q)));
        return coerce(n, result);
    }

    // ------------------------------------------------------------------ numbers

    private Node abs(RexCall call) {
        Node x = compile(call.getOperands().get(0));
        if (!Cast.isNumeric(x.type.kind())) {
            throw EvaluationErrors.unsupported("abs of " + x.type);
        }
        Factory in = x.factory;
        DataType t = x.vectorType;
        return coerce(Node.of(t, q -> new MathFunctions.Abs(q.allocator(), in.open(q))), typeOf(call));
    }

    private Node round(RexCall call) {
        List<RexNode> ops = call.getOperands();
        Node x = compile(ops.get(0));
        if (!Cast.isNumeric(x.type.kind())) {
            throw EvaluationErrors.unsupported("round of " + x.type);
        }
        DataType t = x.type;
        Factory in = x.factory;
        DataType result = typeOf(call);
        if (ops.size() == 1) {
            if (isInteger(t.kind())) {
                return coerce(x, result);
            }
            return coerce(Node.of(t, q -> new MathFunctions.Round(t, q.allocator(), in.open(q), null, 0, false)), result);
        }
        Node digits = coerce(compile(ops.get(1)), DataType.INTEGER);
        if (digits.isConstant) {
            if (digits.constant == null) {
                return Node.constant(result, null);
            }
            int n = (Integer) digits.constant;
            return coerce(Node.of(t, q -> new MathFunctions.Round(t, q.allocator(), in.open(q), null, n, true)), result);
        }
        Factory df = digits.factory;
        return coerce(Node.of(t, q -> new MathFunctions.Round(t, q.allocator(), in.open(q), df.open(q), 0, true)), result);
    }

    private Node ceilFloor(RexCall call) {
        boolean ceil = call.getKind() == SqlKind.CEIL;
        List<RexNode> ops = call.getOperands();
        Node x = compile(ops.get(0));
        DataType result = typeOf(call);
        if (ops.size() > 1) {
            // FLOOR(datetime TO unit) is date_trunc
            Kind k = x.type.kind();
            if (ceil || (k != Kind.DATE && k != Kind.TIMESTAMP)) {
                throw EvaluationErrors.unsupported((ceil ? "CEIL" : "FLOOR") + " of " + x.type + " to a unit");
            }
            TimeUnitRange unit = ((RexLiteral) ops.get(1)).getValueAs(TimeUnitRange.class);
            DateTimeFunctions.Unit u = unit == null ? null : DateTimeFunctions.Unit.of(unit.name());
            if (u == null) {
                throw EvaluationErrors.unsupported("FLOOR to " + unit);
            }
            Factory in = x.factory;
            return Node.of(result, q -> new DateTimeFunctions.Truncate(result, q.allocator(), in.open(q), u));
        }
        Kind k = x.type.kind();
        if (isInteger(k)) {
            return coerce(x, result);
        }
        if (!Cast.isNumeric(k)) {
            throw EvaluationErrors.unsupported((ceil ? "ceil" : "floor") + " of " + x.type);
        }
        Factory in = x.factory;
        DataType t = k == Kind.DECIMAL
                ? (result.kind() == Kind.DECIMAL ? result : DataType.decimal(Math.max(1, x.type.precision() - x.type.scale() + 1), 0))
                : x.vectorType;
        return coerce(Node.of(t, q -> new MathFunctions.CeilFloor(ceil, t, q.allocator(), in.open(q))), result);
    }

    // ------------------------------------------------------------------ dates

    private Node extract(RexCall call) {
        List<RexNode> ops = call.getOperands();
        String unit = unitName(ops.get(0));
        DateTimeFunctions.Field field = unit == null ? null : DateTimeFunctions.Field.of(unit);
        if (field == null) {
            throw EvaluationErrors.unsupported("EXTRACT of " + (unit == null ? ops.get(0) : unit));
        }
        Node x = compile(ops.get(1));
        if (x.type.kind() != Kind.DATE && x.type.kind() != Kind.TIMESTAMP) {
            throw EvaluationErrors.unsupported("EXTRACT from " + x.type);
        }
        Factory in = x.factory;
        return coerce(Node.of(DataType.BIGINT, q -> new DateTimeFunctions.Extract(DataType.BIGINT, q.allocator(), in.open(q), field)),
                typeOf(call));
    }

    private static String unitName(RexNode unit) {
        if (!(unit instanceof RexLiteral literal) || literal.isNull()) {
            return null;
        }
        if (literal.getTypeName() == SqlTypeName.SYMBOL) {
            Object v = literal.getValue();
            return v instanceof TimeUnitRange r ? r.name() : null;
        }
        return literal.getValueAs(String.class);
    }

    private Node dateTrunc(RexCall call) {
        List<RexNode> ops = call.getOperands();
        String unit = unitName(ops.get(0));
        DateTimeFunctions.Unit u = unit == null ? null : DateTimeFunctions.Unit.of(unit);
        if (u == null) {
            throw EvaluationErrors.unsupported("date_trunc to " + (unit == null ? ops.get(0) : unit));
        }
        Node x = compile(ops.get(1));
        if (x.type.kind() != Kind.DATE && x.type.kind() != Kind.TIMESTAMP) {
            throw EvaluationErrors.unsupported("date_trunc of " + x.type);
        }
        DataType result = typeOf(call);
        DataType t = result.kind() == Kind.DATE ? DataType.DATE : DataType.TIMESTAMP;
        Factory in = x.factory;
        return coerce(Node.of(t, q -> new DateTimeFunctions.Truncate(t, q.allocator(), in.open(q), u)), result);
    }
}
