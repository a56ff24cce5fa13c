package dev.duet.planner.exec.expr;

import dev.duet.core.types.DataType;
import dev.duet.core.types.Values;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * {@code = <> < <= > >=} between two operands of the same physical type (the compiler aligns
 * them), or between an operand and a non-null constant. NULL where an operand is NULL. Orders as
 * {@link dev.duet.core.types.Values#compare} does: strings and byte strings by unsigned bytes
 * (UTF-8 byte order is code point order), doubles with {@code -0 = 0} and NaN equal to itself and
 * above every other value (PostgreSQL).
 *
 * <p>The result bits are computed 64 rows at a time: a comparison gives -1, 0 or 1 and the
 * operator's mask ({@code bit c+1}: less, equal, greater) turns it into the bit, without a branch.
 */
final class Comparison {
    enum Op {
        EQUAL(0b010), NOT_EQUAL(0b101), LESS(0b001), LESS_OR_EQUAL(0b011), GREATER(0b100), GREATER_OR_EQUAL(0b110);

        final int mask;

        Op(int mask) {
            this.mask = mask;
        }

        /** The operator with the operands swapped ({@code a < b} is {@code b > a}). */
        Op flip() {
            return switch (this) {
                case LESS -> GREATER;
                case LESS_OR_EQUAL -> GREATER_OR_EQUAL;
                case GREATER -> LESS;
                case GREATER_OR_EQUAL -> LESS_OR_EQUAL;
                default -> this;
            };
        }
    }

    private Comparison() {
    }

    /** Compares two operands of type {@code operandType}. */
    static VectorEvaluator create(Op op, DataType operandType, BufferAllocator allocator, VectorEvaluator l, VectorEvaluator r) {
        return switch (operandType.kind()) {
            case INTEGER, DATE -> new Int32(op.mask, allocator, l, r, 0);
            case BIGINT, TIMESTAMP -> new Int64(op.mask, allocator, l, r, 0);
            case DOUBLE -> new Float64(op.mask, allocator, l, r, 0);
            case DECIMAL -> new Decimal(op.mask, allocator, l, r, 0, 0);
            case VARCHAR, BYTEA -> new Bytes(op.mask, allocator, l, r, null);
            case BOOLEAN -> new Bool(op.mask, allocator, l, r, false);
            default -> throw new IllegalStateException("no comparison kernel for " + operandType);
        };
    }

    /**
     * Compares an operand with a constant (its canonical value, non-null, of the operand's type as
     * {@link ConstantEvaluator} takes it).
     */
    static VectorEvaluator createWithConstant(Op op, DataType operandType, BufferAllocator allocator, VectorEvaluator l,
            Object constant) {
        return switch (operandType.kind()) {
            case INTEGER -> new Int32(op.mask, allocator, l, null, ((Number) constant).intValue());
            case DATE -> new Int32(op.mask, allocator, l, null, (int) ((LocalDate) constant).toEpochDay());
            case BIGINT -> new Int64(op.mask, allocator, l, null, ((Number) constant).longValue());
            case TIMESTAMP -> new Int64(op.mask, allocator, l, null,
                    Values.toEpochMicros((LocalDateTime) constant));
            case DOUBLE -> new Float64(op.mask, allocator, l, null, (Double) constant);
            case DECIMAL -> {
                Int128 v = new Int128();
                v.set(((BigDecimal) constant).unscaledValue());
                yield new Decimal(op.mask, allocator, l, null, v.hi, v.lo);
            }
            case VARCHAR -> new Bytes(op.mask, allocator, l, null,
                    ((String) constant).getBytes(StandardCharsets.UTF_8));
            case BYTEA -> new Bytes(op.mask, allocator, l, null, (byte[]) constant);
            case BOOLEAN -> new Bool(op.mask, allocator, l, null, (Boolean) constant);
            default -> throw new IllegalStateException("no comparison kernel for " + operandType);
        };
    }

    /** PostgreSQL's double order: NaN equals NaN and is above everything; -0 equals 0. */
    static int compareDouble(double a, double b) {
        if (a < b) {
            return -1;
        }
        if (a > b) {
            return 1;
        }
        if (a == b) {
            return 0;
        }
        return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
    }

    /** Evaluates the operands, sets the validity, and fills the result a word at a time. */
    private abstract static class Kernel extends ComputedEvaluator {
        protected final int mask;
        private final VectorEvaluator left;
        private final VectorEvaluator right;

        Kernel(int mask, BufferAllocator allocator, VectorEvaluator left, VectorEvaluator right) {
            super(DataType.BOOLEAN, allocator, right == null ? new VectorEvaluator[] {left} : new VectorEvaluator[] {left, right});
            this.mask = mask;
            this.left = left;
            this.right = right;
        }

        @Override
        public final FieldVector evaluate(VectorSchemaRoot batch, int[] rows, int count) {
            FieldVector l = left.evaluate(batch, rows, count);
            FieldVector r = right == null ? null : right.evaluate(batch, rows, count);
            prepare(count);
            long validity = out.getValidityBufferAddress();
            if (r == null) {
                Bitmaps.copy(l.getValidityBufferAddress(), validity, count);
            } else {
                Bitmaps.and(l.getValidityBufferAddress(), r.getValidityBufferAddress(), validity, count);
            }
            bind(l, r);
            long data = out.getDataBufferAddress();
            for (int from = 0; from < count; from += 64) {
                MemoryUtil.putLong(data + (from >>> 3), word(from, Math.min(count, from + 64)));
            }
            return finish(count);
        }

        /** Takes the operand vectors' addresses ({@code r} null when comparing with a constant). */
        protected abstract void bind(FieldVector l, FieldVector r);

        /** Result bits of rows {@code [from, to)} (at most 64), row {@code from} in bit 0. */
        protected abstract long word(int from, int to);

        protected final long bit(int c, int shift) {
            return (long) ((mask >>> (c + 1)) & 1) << shift;
        }
    }

    private static final class Int32 extends Kernel {
        private final int constant;
        private long a;
        private long b;
        private boolean scalar;

        Int32(int mask, BufferAllocator allocator, VectorEvaluator l, VectorEvaluator r, int constant) {
            super(mask, allocator, l, r);
            this.constant = constant;
        }

        @Override
        protected void bind(FieldVector l, FieldVector r) {
            a = l.getDataBufferAddress();
            scalar = r == null;
            b = scalar ? 0 : r.getDataBufferAddress();
        }

        @Override
        protected long word(int from, int to) {
            long bits = 0;
            if (scalar) {
                for (int i = from; i < to; i++) {
                    bits |= bit(Integer.compare(MemoryUtil.getInt(a + 4L * i), constant), i - from);
                }
            } else {
                for (int i = from; i < to; i++) {
                    bits |= bit(Integer.compare(MemoryUtil.getInt(a + 4L * i), MemoryUtil.getInt(b + 4L * i)), i - from);
                }
            }
            return bits;
        }
    }

    private static final class Int64 extends Kernel {
        private final long constant;
        private long a;
        private long b;
        private boolean scalar;

        Int64(int mask, BufferAllocator allocator, VectorEvaluator l, VectorEvaluator r, long constant) {
            super(mask, allocator, l, r);
            this.constant = constant;
        }

        @Override
        protected void bind(FieldVector l, FieldVector r) {
            a = l.getDataBufferAddress();
            scalar = r == null;
            b = scalar ? 0 : r.getDataBufferAddress();
        }

        @Override
        protected long word(int from, int to) {
            long bits = 0;
            if (scalar) {
                for (int i = from; i < to; i++) {
                    bits |= bit(Long.compare(MemoryUtil.getLong(a + 8L * i), constant), i - from);
                }
            } else {
                for (int i = from; i < to; i++) {
                    bits |= bit(Long.compare(MemoryUtil.getLong(a + 8L * i), MemoryUtil.getLong(b + 8L * i)), i - from);
                }
            }
            return bits;
        }
    }

    private static final class Float64 extends Kernel {
        private final double constant;
        private long a;
        private long b;
        private boolean scalar;

        Float64(int mask, BufferAllocator allocator, VectorEvaluator l, VectorEvaluator r, double constant) {
            super(mask, allocator, l, r);
            this.constant = constant;
        }

        @Override
        protected void bind(FieldVector l, FieldVector r) {
            a = l.getDataBufferAddress();
            scalar = r == null;
            b = scalar ? 0 : r.getDataBufferAddress();
        }

        @Override
        protected long word(int from, int to) {
            long bits = 0;
            for (int i = from; i < to; i++) {
                double x = Double.longBitsToDouble(MemoryUtil.getLong(a + 8L * i));
                double y = scalar ? constant : Double.longBitsToDouble(MemoryUtil.getLong(b + 8L * i));
                bits |= bit(compareDouble(x, y), i - from);
            }
            return bits;
        }
    }

    private static final class Decimal extends Kernel {
        private final long constantHi;
        private final long constantLo;
        private long a;
        private long b;
        private boolean scalar;

        Decimal(int mask, BufferAllocator allocator, VectorEvaluator l, VectorEvaluator r, long constantHi, long constantLo) {
            super(mask, allocator, l, r);
            this.constantHi = constantHi;
            this.constantLo = constantLo;
        }

        @Override
        protected void bind(FieldVector l, FieldVector r) {
            a = l.getDataBufferAddress();
            scalar = r == null;
            b = scalar ? 0 : r.getDataBufferAddress();
        }

        @Override
        protected long word(int from, int to) {
            long bits = 0;
            for (int i = from; i < to; i++) {
                long at = a + 16L * i;
                long yHi = scalar ? constantHi : MemoryUtil.getLong(b + 16L * i + 8);
                long yLo = scalar ? constantLo : MemoryUtil.getLong(b + 16L * i);
                bits |= bit(Int128.compare(MemoryUtil.getLong(at + 8), MemoryUtil.getLong(at), yHi, yLo), i - from);
            }
            return bits;
        }
    }

    private static final class Bytes extends Kernel {
        private final byte[] constant;
        private long aOffsets;
        private long aData;
        private long bOffsets;
        private long bData;
        private boolean vectors;

        Bytes(int mask, BufferAllocator allocator, VectorEvaluator l, VectorEvaluator r, byte[] constant) {
            super(mask, allocator, l, r);
            this.constant = constant;
        }

        @Override
        protected void bind(FieldVector l, FieldVector r) {
            aOffsets = l.getOffsetBufferAddress();
            aData = l.getDataBufferAddress();
            vectors = r != null;
            if (vectors) {
                bOffsets = r.getOffsetBufferAddress();
                bData = r.getDataBufferAddress();
            }
        }

        @Override
        protected long word(int from, int to) {
            long bits = 0;
            for (int i = from; i < to; i++) {
                int as = MemoryUtil.getInt(aOffsets + 4L * i);
                int al = MemoryUtil.getInt(aOffsets + 4L * i + 4) - as;
                int c;
                if (vectors) {
                    int bs = MemoryUtil.getInt(bOffsets + 4L * i);
                    int bl = MemoryUtil.getInt(bOffsets + 4L * i + 4) - bs;
                    c = Utf8Bytes.compare(aData + as, al, bData + bs, bl);
                } else {
                    c = Utf8Bytes.compare(aData + as, al, constant);
                }
                bits |= bit(Integer.signum(c), i - from);
            }
            return bits;
        }
    }

    private static final class Bool extends Kernel {
        private final boolean constant;
        private long a;
        private long b;
        private boolean scalar;

        Bool(int mask, BufferAllocator allocator, VectorEvaluator l, VectorEvaluator r, boolean constant) {
            super(mask, allocator, l, r);
            this.constant = constant;
        }

        @Override
        protected void bind(FieldVector l, FieldVector r) {
            a = l.getDataBufferAddress();
            scalar = r == null;
            b = scalar ? 0 : r.getDataBufferAddress();
        }

        @Override
        protected long word(int from, int to) {
            long bits = 0;
            for (int i = from; i < to; i++) {
                boolean x = Bitmaps.get(a, i);
                boolean y = scalar ? constant : Bitmaps.get(b, i);
                bits |= bit(Boolean.compare(x, y), i - from);
            }
            return bits;
        }
    }
}
