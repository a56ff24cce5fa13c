package dev.duet.planner.exec.expr;

import dev.duet.core.types.DataType;
import dev.duet.core.exec.QueryContext;
import java.util.List;
import java.util.Objects;
import org.apache.calcite.rex.RexNode;

/**
 * A scalar expression compiled for vectorized evaluation: immutable and shareable (a plan node
 * holds it), describable (its Calcite text), and opened into a {@link VectorEvaluator} once per
 * running operator. Made by {@link ExpressionCompiler}.
 *
 * <p>Statement parameters ({@code ?}, {@code $n}) are bound when the expression is opened: the
 * evaluator reads them from the {@link QueryContext} it is opened under, so one compiled plan
 * runs with each execution's values (a prepared statement).
 */
public final class CompiledExpression {
    /** Opens the evaluator tree of a compiled (sub)expression. */
    @FunctionalInterface
    interface Factory {
        VectorEvaluator open(QueryContext context);
    }

    private final RexNode source;
    private final DataType type;
    private final boolean nullable;
    private final int inputIndex;
    private final Factory factory;
    private final List<CompiledExpression> conjuncts;

    CompiledExpression(RexNode source, DataType type, boolean nullable, int inputIndex, Factory factory,
            List<CompiledExpression> conjuncts) {
        this.conjuncts = List.copyOf(conjuncts);
        this.source = Objects.requireNonNull(source, "source is null");
        this.type = Objects.requireNonNull(type, "type is null");
        this.nullable = nullable;
        this.inputIndex = inputIndex;
        this.factory = Objects.requireNonNull(factory, "factory is null");
    }

    /** The SQL type of the result. */
    public DataType type() {
        return type;
    }

    /** Whether the result can be NULL (from Calcite's type). */
    public boolean nullable() {
        return nullable;
    }

    /** The input column this expression is, if it is a plain column reference; -1 otherwise. */
    public int inputIndex() {
        return inputIndex;
    }

    /** The expression as Calcite prints it, with input references as {@code $n}. */
    public RexNode source() {
        return source;
    }

    /**
     * A new evaluator for one execution: its vectors are allocated from the query's allocator and
     * its parameters are the values bound in {@code context} (07001 if one is not bound). The
     * caller closes it.
     */
    public VectorEvaluator open(QueryContext context) {
        Objects.requireNonNull(context, "context is null");
        return factory.open(context);
    }

    /**
     * For an AND, its operands compiled on their own, in the order the AND evaluates them;
     * otherwise empty. A filter may apply them one after another, each only over the rows all
     * before it found TRUE (a row is dropped as soon as one is FALSE or NULL): the rows it keeps
     * are the rows where the whole AND is TRUE, and no operand sees a row the AND would not have
     * evaluated it on.
     */
    public List<CompiledExpression> conjuncts() {
        return conjuncts;
    }

    @Override
    public String toString() {
        return source.toString();
    }
}
