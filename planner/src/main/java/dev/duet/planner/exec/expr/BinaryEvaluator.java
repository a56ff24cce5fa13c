package dev.duet.planner.exec.expr;

import dev.duet.core.types.DataType;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * An evaluator of two operands that is NULL where either operand is NULL (strict). The output's
 * validity is the AND of the operands' validity bitmaps, computed a word at a time; the kernel
 * then writes the value of every row that is valid (it may skip or fill the others).
 */
abstract class BinaryEvaluator extends ComputedEvaluator {
    protected final VectorEvaluator left;
    protected final VectorEvaluator right;

    BinaryEvaluator(DataType type, BufferAllocator allocator, VectorEvaluator left, VectorEvaluator right) {
        super(type, allocator, left, right);
        this.left = left;
        this.right = right;
    }

    @Override
    public final FieldVector evaluate(VectorSchemaRoot batch, int[] rows, int count) {
        FieldVector l = left.evaluate(batch, rows, count);
        FieldVector r = right.evaluate(batch, rows, count);
        prepare(count);
        long validity = out.getValidityBufferAddress();
        Bitmaps.and(l.getValidityBufferAddress(), r.getValidityBufferAddress(), validity, count);
        compute(l, r, count, Bitmaps.allSet(validity, count), validity);
        return finish(count);
    }

    /**
     * Writes the values of the rows whose bit is set in {@code validity}; {@code allValid} says
     * every row is (then kernels skip the per-row test).
     */
    protected abstract void compute(FieldVector l, FieldVector r, int count, boolean allValid, long validity);
}
