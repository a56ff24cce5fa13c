package dev.duet.planner.exec.expr;

import dev.duet.core.types.DataType;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * ROUND, ABS, CEIL and FLOOR. ROUND of a DECIMAL or integer rounds half away from zero (as
 * PostgreSQL's numeric round); {@code round(double)} rounds half to even (PostgreSQL's
 * {@code rint}); {@code round(double, n)}, which PostgreSQL does not have, rounds half away from
 * zero at n digits, as DuckDB does.
 */
final class MathFunctions {
    private MathFunctions() {
    }

    /** {@code round(x)} / {@code round(x, digits)}; the result has x's type. */
    static final class Round extends ComputedEvaluator {
        private final VectorEvaluator input;
        private final VectorEvaluator digits;
        private final int constantDigits;
        private final boolean hasDigits;
        private final Int128 x = new Int128();

        /**
         * @param type the input's type (its declared precision may exceed its vectors')
         * @param digits the digits operand (INTEGER), or null with {@code constantDigits} (0 for none)
         */
        Round(DataType type, BufferAllocator allocator, VectorEvaluator input, VectorEvaluator digits, int constantDigits,
                boolean hasDigits) {
            super(type, allocator, digits == null ? new VectorEvaluator[] {input} : new VectorEvaluator[] {input, digits});
            this.input = input;
            this.digits = digits;
            this.constantDigits = constantDigits;
            this.hasDigits = hasDigits;
        }

        @Override
        public FieldVector evaluate(VectorSchemaRoot batch, int[] rows, int count) {
            FieldVector in = input.evaluate(batch, rows, count);
            FieldVector d = digits == null ? null : digits.evaluate(batch, rows, count);
            prepare(count);
            long ov = out.getValidityBufferAddress();
            if (d == null) {
                Bitmaps.copy(in.getValidityBufferAddress(), ov, count);
            } else {
                Bitmaps.and(in.getValidityBufferAddress(), d.getValidityBufferAddress(), ov, count);
            }
            long a = in.getDataBufferAddress();
            long da = d == null ? 0 : d.getDataBufferAddress();
            long o = out.getDataBufferAddress();
            DataType t = type();
            for (int i = 0; i < count; i++) {
                if (!Bitmaps.get(ov, i)) {
                    continue;
                }
                int n = d == null ? constantDigits : MemoryUtil.getInt(da + 4L * i);
                switch (t.kind()) {
                    case DOUBLE -> MemoryUtil.putLong(o + 8L * i, Double.doubleToRawLongBits(
                            round(Double.longBitsToDouble(MemoryUtil.getLong(a + 8L * i)), n)));
                    case REAL -> MemoryUtil.putInt(o + 4L * i, Float.floatToRawIntBits(
                            (float) round(Float.intBitsToFloat(MemoryUtil.getInt(a + 4L * i)), n)));
                    case SMALLINT -> {
                        long v = roundLong(MemoryUtil.getShort(a + 2L * i), n);
                        if (v != (short) v) {
                            throw EvaluationErrors.outOfRange(t);
                        }
                        MemoryUtil.putShort(o + 2L * i, (short) v);
                    }
                    case INTEGER -> {
                        long v = roundLong(MemoryUtil.getInt(a + 4L * i), n);
                        if (v != (int) v) {
                            throw EvaluationErrors.outOfRange(t);
                        }
                        MemoryUtil.putInt(o + 4L * i, (int) v);
                    }
                    case BIGINT -> MemoryUtil.putLong(o + 8L * i, roundLong(MemoryUtil.getLong(a + 8L * i), n));
                    case DECIMAL -> {
                        x.load(a + 16L * i);
                        int drop = t.scale() - n;
                        if (drop > 0) {
                            x.scaleDown(drop, Int128.Rounding.HALF_UP);
                            if (!x.scaleUp(Math.min(drop, 38)) || !x.fitsPrecision(t.precision())) {
                                throw EvaluationErrors.outOfRange(t);
                            }
                        }
                        x.store(o + 16L * i);
                    }
                    default -> throw new IllegalStateException("round of " + t);
                }
            }
            return finish(count);
        }

        private double round(double v, int n) {
            if (!hasDigits) {
                return Math.rint(v);
            }
            if (n < 0) {
                double modifier = Math.pow(10, -n);
                double r = roundHalfAway(v / modifier) * modifier;
                return Double.isInfinite(r) || Double.isNaN(r) ? 0 : r;
            }
            double modifier = Math.pow(10, n);
            double r = roundHalfAway(v * modifier) / modifier;
            return Double.isInfinite(r) || Double.isNaN(r) ? v : r;
        }

        /** C's {@code round}: to nearest, ties away from zero. */
        static double roundHalfAway(double v) {
            double m = Math.abs(v);
            double f = Math.floor(m);
            if (m - f >= 0.5) {
                f += 1;
            }
            return Math.copySign(f, v);
        }

        private long roundLong(long v, int n) {
            if (n >= 0) {
                return v;
            }
            if (n < -18) {
                return 0;
            }
            long q = Int128.POW10[-n];
            long r = v % q;
            long base = v - r;
            try {
                if (Math.abs(r) >= q - Math.abs(r)) {
                    return Math.addExact(base, v < 0 ? -q : q);
                }
            } catch (ArithmeticException e) {
                throw EvaluationErrors.outOfRange(type());
            }
            return base;
        }
    }

    /** {@code abs(x)}. */
    static final class Abs extends UnaryEvaluator {
        Abs(BufferAllocator allocator, VectorEvaluator input) {
            super(input.type(), allocator, input);
        }

        @Override
        protected void compute(FieldVector in, int n, boolean allValid, long validity) {
            long a = in.getDataBufferAddress();
            long o = out.getDataBufferAddress();
            DataType t = type();
            for (int i = 0; i < n; i++) {
                if (!allValid && !Bitmaps.get(validity, i)) {
                    continue;
                }
                switch (t.kind()) {
                    case SMALLINT -> {
                        short v = MemoryUtil.getShort(a + 2L * i);
                        if (v == Short.MIN_VALUE) {
                            throw EvaluationErrors.outOfRange(t);
                        }
                        MemoryUtil.putShort(o + 2L * i, (short) Math.abs(v));
                    }
                    case INTEGER -> {
                        int v = MemoryUtil.getInt(a + 4L * i);
                        if (v == Integer.MIN_VALUE) {
                            throw EvaluationErrors.outOfRange(t);
                        }
                        MemoryUtil.putInt(o + 4L * i, Math.abs(v));
                    }
                    case BIGINT -> {
                        long v = MemoryUtil.getLong(a + 8L * i);
                        if (v == Long.MIN_VALUE) {
                            throw EvaluationErrors.outOfRange(t);
                        }
                        MemoryUtil.putLong(o + 8L * i, Math.abs(v));
                    }
                    case REAL -> MemoryUtil.putInt(o + 4L * i, MemoryUtil.getInt(a + 4L * i) & Integer.MAX_VALUE);
                    case DOUBLE -> MemoryUtil.putLong(o + 8L * i, MemoryUtil.getLong(a + 8L * i) & Long.MAX_VALUE);
                    case DECIMAL -> {
                        long lo = MemoryUtil.getLong(a + 16L * i);
                        long hi = MemoryUtil.getLong(a + 16L * i + 8);
                        if (hi < 0) {
                            long nlo = -lo;
                            hi = ~hi + (lo == 0 ? 1 : 0);
                            lo = nlo;
                        }
                        MemoryUtil.putLong(o + 16L * i, lo);
                        MemoryUtil.putLong(o + 16L * i + 8, hi);
                    }
                    default -> throw new IllegalStateException("abs of " + t);
                }
            }
        }
    }

    /**
     * {@code ceil(x)} / {@code floor(x)} of a DOUBLE, REAL or DECIMAL (integers are their own
     * ceiling); a DECIMAL result has the scale Calcite typed (0).
     */
    static final class CeilFloor extends UnaryEvaluator {
        private final boolean ceil;
        private final DataType inputType;
        private final Int128 x = new Int128();

        CeilFloor(boolean ceil, DataType type, BufferAllocator allocator, VectorEvaluator input) {
            super(type, allocator, input);
            this.ceil = ceil;
            this.inputType = input.type();
        }

        @Override
        protected void compute(FieldVector in, int n, boolean allValid, long validity) {
            long a = in.getDataBufferAddress();
            long o = out.getDataBufferAddress();
            DataType t = type();
            for (int i = 0; i < n; i++) {
                if (!allValid && !Bitmaps.get(validity, i)) {
                    continue;
                }
                switch (t.kind()) {
                    case DOUBLE -> {
                        double v = Double.longBitsToDouble(MemoryUtil.getLong(a + 8L * i));
                        MemoryUtil.putLong(o + 8L * i, Double.doubleToRawLongBits(ceil ? Math.ceil(v) : Math.floor(v)));
                    }
                    case REAL -> {
                        float v = Float.intBitsToFloat(MemoryUtil.getInt(a + 4L * i));
                        MemoryUtil.putInt(o + 4L * i, Float.floatToRawIntBits((float) (ceil ? Math.ceil(v) : Math.floor(v))));
                    }
                    case DECIMAL -> {
                        x.load(a + 16L * i);
                        x.scaleDown(inputType.scale(), ceil ? Int128.Rounding.CEILING : Int128.Rounding.FLOOR);
                        if (!x.scaleUp(t.scale()) || !x.fitsPrecision(t.precision())) {
                            throw EvaluationErrors.outOfRange(t);
                        }
                        x.store(o + 16L * i);
                    }
                    default -> throw new IllegalStateException((ceil ? "ceil" : "floor") + " of " + t);
                }
            }
        }
    }
}
