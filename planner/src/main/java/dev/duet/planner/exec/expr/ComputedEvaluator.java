package dev.duet.planner.exec.expr;

import dev.duet.core.exec.Closeables;
import dev.duet.core.types.DataType;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/**
 * An evaluator that computes into a vector of its own: allocates it lazily, keeps it across
 * batches (growing it when a batch needs more rows), frees it and its children on close.
 * Bitmaps of the output always have room for whole 64-bit words, so kernels write them a word at
 * a time.
 */
abstract class ComputedEvaluator extends VectorEvaluator {
    /** Width in bytes of a value of each fixed-width type; {@link #BIT} for BOOLEAN, {@link #VARIABLE} for strings. */
    static final int BIT = 0;
    static final int VARIABLE = -1;

    protected final FieldVector out;
    private final List<VectorEvaluator> children;
    private boolean closed;

    protected ComputedEvaluator(DataType type, BufferAllocator allocator, VectorEvaluator... children) {
        super(type);
        this.children = List.of(children);
        this.out = type.arrowField("expr", true).createVector(allocator);
    }

    static int width(DataType type) {
        return switch (type.kind()) {
            case BOOLEAN -> BIT;
            case SMALLINT -> 2;
            case INTEGER, REAL, DATE -> 4;
            case BIGINT, DOUBLE, TIMESTAMP -> 8;
            case DECIMAL -> 16;
            case VARCHAR, BYTEA -> VARIABLE;
        };
    }

    /** Rows rounded up to whole 64-bit bitmap words. */
    static int roundUp(int count) {
        return (Math.max(count, 1) + 63) & ~63;
    }

    /**
     * Makes room for {@code count} values (of a fixed-width or boolean output). Contents are
     * unspecified afterwards: the kernel writes every value and validity bit it returns.
     */
    protected final void prepare(int count) {
        ensureCapacity(out, count);
    }

    static void ensureCapacity(FieldVector v, int count) {
        int need = roundUp(count);
        if (v.getValueCapacity() < need) {
            v.clear();
            v.setInitialCapacity(need);
            v.allocateNew();
        }
    }

    /** Sets the value count and returns the output. */
    protected final FieldVector finish(int count) {
        out.setValueCount(count);
        return out;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Closeables.closeAll(children);
        } finally {
            out.close();
        }
    }
}
