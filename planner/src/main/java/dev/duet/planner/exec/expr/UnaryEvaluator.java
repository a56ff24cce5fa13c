package dev.duet.planner.exec.expr;

import dev.duet.core.types.DataType;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * An evaluator of one operand that is NULL exactly where the operand is NULL and writes a
 * fixed-width (or boolean) result: copies the validity bitmap, then the kernel writes the values
 * of the valid rows.
 */
abstract class UnaryEvaluator extends ComputedEvaluator {
    protected final VectorEvaluator input;

    UnaryEvaluator(DataType type, BufferAllocator allocator, VectorEvaluator input) {
        super(type, allocator, input);
        this.input = input;
    }

    @Override
    public final FieldVector evaluate(VectorSchemaRoot batch, int[] rows, int count) {
        FieldVector in = input.evaluate(batch, rows, count);
        prepare(count);
        long validity = out.getValidityBufferAddress();
        Bitmaps.copy(in.getValidityBufferAddress(), validity, count);
        compute(in, count, Bitmaps.allSet(validity, count), validity);
        return finish(count);
    }

    protected abstract void compute(FieldVector in, int count, boolean allValid, long validity);
}
