package dev.duet.planner.exec.expr;

import dev.duet.core.types.DataType;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The running form of one compiled expression: evaluates it a batch at a time. Created by
 * {@link CompiledExpression#open}; owns its output vector (allocated from the query's allocator on
 * first use, reused for every later batch, freed by {@link #close()}) and those of its children.
 *
 * <p>Rows: {@code evaluate(batch, rows, count)} computes the expression for {@code count} rows of
 * {@code batch}: rows {@code rows[0..count)} (batch row indexes, strictly increasing), or all
 * rows {@code 0..count)} when {@code rows} is null (then {@code count} is the batch's row count). The result is dense: value {@code i} of the
 * returned vector belongs to the {@code i}-th of those rows, and its value count is {@code count}.
 * Only the rows asked for are evaluated, so a row that is not selected (a CASE branch not taken, the
 * right side of an AND whose left side is FALSE) never raises an error.
 *
 * <p>The returned vector is valid until the next {@code evaluate} or {@code close}; the caller
 * reads it and must not modify, close or keep it (it may be a vector of the input batch). A caller
 * that consumes it downstream (a project's output batch) may transfer its buffers away: the
 * evaluator then allocates new ones. Not thread-safe; one evaluator per operator instance.
 */
public abstract class VectorEvaluator implements AutoCloseable {
    private final DataType type;

    protected VectorEvaluator(DataType type) {
        this.type = type;
    }

    /** The SQL type of the values (the Arrow type of the returned vector is {@code type().arrowType()}). */
    public final DataType type() {
        return type;
    }

    /**
     * Evaluates the expression for the given rows; see the class javadoc. Throws a
     * {@link dev.duet.core.DuetException} for data errors (22012, 22003, 22P02, ...).
     */
    public abstract FieldVector evaluate(VectorSchemaRoot batch, int[] rows, int count);

    /**
     * Of the rows asked for (as for {@link #evaluate}), writes the batch indexes of those for which
     * this BOOLEAN expression is TRUE to {@code out} in increasing order and returns how many
     * (FALSE and NULL drop). {@code out} has room for {@code count} rows and may be {@code rows}
     * itself. As with {@code evaluate}, only the rows asked for are evaluated. This evaluates and
     * reads the result's bits; kernels that can test rows in place (comparisons of columns)
     * override it, and so do AND (its operands one after another over the rows still kept) and
     * OR (its operands' selections merged).
     */
    public int select(VectorSchemaRoot batch, int[] rows, int count, int[] out) {
        FieldVector v = evaluate(batch, rows, count);
        return Bitmaps.selectTrue(v.getValidityBufferAddress(), v.getDataBufferAddress(), count, rows, out);
    }

    /** Frees the output vector and closes the children. Idempotent. */
    @Override
    public abstract void close();

    /** Batch row index of the {@code i}-th evaluated row. */
    protected static int row(int[] rows, int i) {
        return rows == null ? i : rows[i];
    }
}
