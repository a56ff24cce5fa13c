package dev.duet.planner.exec.expr;

import dev.duet.core.types.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;

/**
 * The arithmetic kernels: {@code + - * / %} on INTEGER (int32), BIGINT (int64), DOUBLE and
 * DECIMAL operands of the result's type (the compiler casts operands first; SMALLINT and REAL
 * results are computed in INTEGER and DOUBLE and narrowed), and unary minus. PostgreSQL
 * semantics: integer division truncates toward zero and {@code %} takes the dividend's sign;
 * integer overflow is 22003, division or modulo by zero 22012; a floating-point result that
 * overflows to infinity (or underflows to zero) from finite operands is 22003; DECIMAL results
 * are exact at the scale Calcite typed, rounded half away from zero when that scale is smaller,
 * and 22003 past the result's precision.
 */
final class Arithmetic {
    enum Op { ADD, SUBTRACT, MULTIPLY, DIVIDE, MOD }

    private Arithmetic() {
    }

    static VectorEvaluator create(Op op, DataType type, BufferAllocator allocator, VectorEvaluator l, VectorEvaluator r) {
        return switch (type.kind()) {
            case INTEGER -> new Int32(op, type, allocator, l, r);
            case BIGINT -> new Int64(op, type, allocator, l, r);
            case DOUBLE -> new Float64(op, type, allocator, l, r);
            case DECIMAL -> new Decimal(op, type, allocator, l, r);
            default -> throw new IllegalStateException("no arithmetic kernel for " + type);
        };
    }

    /** INTEGER op INTEGER → INTEGER. */
    static final class Int32 extends BinaryEvaluator {
        private final Op op;

        Int32(Op op, DataType type, BufferAllocator allocator, VectorEvaluator l, VectorEvaluator r) {
            super(type, allocator, l, r);
            this.op = op;
        }

        @Override
        protected void compute(FieldVector l, FieldVector r, int n, boolean allValid, long validity) {
            long a = l.getDataBufferAddress();
            long b = r.getDataBufferAddress();
            long o = out.getDataBufferAddress();
            switch (op) {
                case ADD -> {
                    for (int i = 0; i < n; i++) {
                        if (allValid || Bitmaps.get(validity, i)) {
                            long v = (long) MemoryUtil.getInt(a + 4L * i) + MemoryUtil.getInt(b + 4L * i);
                            if (v != (int) v) {
                                throw EvaluationErrors.outOfRange(type());
                            }
                            MemoryUtil.putInt(o + 4L * i, (int) v);
                        }
                    }
                }
                case SUBTRACT -> {
                    for (int i = 0; i < n; i++) {
                        if (allValid || Bitmaps.get(validity, i)) {
                            long v = (long) MemoryUtil.getInt(a + 4L * i) - MemoryUtil.getInt(b + 4L * i);
                            if (v != (int) v) {
                                throw EvaluationErrors.outOfRange(type());
                            }
                            MemoryUtil.putInt(o + 4L * i, (int) v);
                        }
                    }
                }
                case MULTIPLY -> {
                    for (int i = 0; i < n; i++) {
                        if (allValid || Bitmaps.get(validity, i)) {
                            long v = (long) MemoryUtil.getInt(a + 4L * i) * MemoryUtil.getInt(b + 4L * i);
                            if (v != (int) v) {
                                throw EvaluationErrors.outOfRange(type());
                            }
                            MemoryUtil.putInt(o + 4L * i, (int) v);
                        }
                    }
                }
                case DIVIDE -> {
                    for (int i = 0; i < n; i++) {
                        if (allValid || Bitmaps.get(validity, i)) {
                            int x = MemoryUtil.getInt(a + 4L * i);
                            int y = MemoryUtil.getInt(b + 4L * i);
                            if (y == 0) {
                                throw EvaluationErrors.divisionByZero();
                            }
                            if (y == -1 && x == Integer.MIN_VALUE) {
                                throw EvaluationErrors.outOfRange(type());
                            }
                            MemoryUtil.putInt(o + 4L * i, x / y);
                        }
                    }
                }
                case MOD -> {
                    for (int i = 0; i < n; i++) {
                        if (allValid || Bitmaps.get(validity, i)) {
                            int y = MemoryUtil.getInt(b + 4L * i);
                            if (y == 0) {
                                throw EvaluationErrors.divisionByZero();
                            }
                            MemoryUtil.putInt(o + 4L * i, y == -1 ? 0 : MemoryUtil.getInt(a + 4L * i) % y);
                        }
                    }
                }
            }
        }
    }

    /** BIGINT op BIGINT → BIGINT. */
    static final class Int64 extends BinaryEvaluator {
        private final Op op;

        Int64(Op op, DataType type, BufferAllocator allocator, VectorEvaluator l, VectorEvaluator r) {
            super(type, allocator, l, r);
            this.op = op;
        }

        @Override
        protected void compute(FieldVector l, FieldVector r, int n, boolean allValid, long validity) {
            long a = l.getDataBufferAddress();
            long b = r.getDataBufferAddress();
            long o = out.getDataBufferAddress();
            try {
                switch (op) {
                    case ADD -> {
                        for (int i = 0; i < n; i++) {
                            if (allValid || Bitmaps.get(validity, i)) {
                                MemoryUtil.putLong(o + 8L * i,
                                        Math.addExact(MemoryUtil.getLong(a + 8L * i), MemoryUtil.getLong(b + 8L * i)));
                            }
                        }
                    }
                    case SUBTRACT -> {
                        for (int i = 0; i < n; i++) {
                            if (allValid || Bitmaps.get(validity, i)) {
                                MemoryUtil.putLong(o + 8L * i,
                                        Math.subtractExact(MemoryUtil.getLong(a + 8L * i), MemoryUtil.getLong(b + 8L * i)));
                            }
                        }
                    }
                    case MULTIPLY -> {
                        for (int i = 0; i < n; i++) {
                            if (allValid || Bitmaps.get(validity, i)) {
                                MemoryUtil.putLong(o + 8L * i,
                                        Math.multiplyExact(MemoryUtil.getLong(a + 8L * i), MemoryUtil.getLong(b + 8L * i)));
                            }
                        }
                    }
                    case DIVIDE -> {
                        for (int i = 0; i < n; i++) {
                            if (allValid || Bitmaps.get(validity, i)) {
                                long x = MemoryUtil.getLong(a + 8L * i);
                                long y = MemoryUtil.getLong(b + 8L * i);
                                if (y == 0) {
                                    throw EvaluationErrors.divisionByZero();
                                }
                                if (y == -1 && x == Long.MIN_VALUE) {
                                    throw EvaluationErrors.outOfRange(type());
                                }
                                MemoryUtil.putLong(o + 8L * i, x / y);
                            }
                        }
                    }
                    case MOD -> {
                        for (int i = 0; i < n; i++) {
                            if (allValid || Bitmaps.get(validity, i)) {
                                long y = MemoryUtil.getLong(b + 8L * i);
                                if (y == 0) {
                                    throw EvaluationErrors.divisionByZero();
                                }
                                MemoryUtil.putLong(o + 8L * i, y == -1 ? 0 : MemoryUtil.getLong(a + 8L * i) % y);
                            }
                        }
                    }
                }
            } catch (ArithmeticException e) {
                throw EvaluationErrors.outOfRange(type());
            }
        }
    }

    /** DOUBLE op DOUBLE → DOUBLE, with PostgreSQL's overflow, underflow and zero-divide checks. */
    static final class Float64 extends BinaryEvaluator {
        private final Op op;

        Float64(Op op, DataType type, BufferAllocator allocator, VectorEvaluator l, VectorEvaluator r) {
            super(type, allocator, l, r);
            this.op = op;
        }

        @Override
        protected void compute(FieldVector l, FieldVector r, int n, boolean allValid, long validity) {
            long a = l.getDataBufferAddress();
            long b = r.getDataBufferAddress();
            long o = out.getDataBufferAddress();
            for (int i = 0; i < n; i++) {
                if (allValid || Bitmaps.get(validity, i)) {
                    double x = Double.longBitsToDouble(MemoryUtil.getLong(a + 8L * i));
                    double y = Double.longBitsToDouble(MemoryUtil.getLong(b + 8L * i));
                    MemoryUtil.putLong(o + 8L * i, Double.doubleToRawLongBits(apply(op, x, y)));
                }
            }
        }

        static double apply(Op op, double x, double y) {
            double v;
            switch (op) {
                case ADD -> v = x + y;
                case SUBTRACT -> v = x - y;
                case MULTIPLY -> {
                    v = x * y;
                    if (v == 0.0 && x != 0.0 && y != 0.0) {
                        throw EvaluationErrors.underflow();
                    }
                }
                case DIVIDE -> {
                    if (y == 0.0 && !Double.isNaN(x)) {
                        throw EvaluationErrors.divisionByZero();
                    }
                    v = x / y;
                    if (v == 0.0 && x != 0.0 && !Double.isInfinite(y)) {
                        throw EvaluationErrors.underflow();
                    }
                }
                case MOD -> {
                    if (y == 0.0 && !Double.isNaN(x)) {
                        throw EvaluationErrors.divisionByZero();
                    }
                    v = x % y;
                }
                default -> throw new IllegalStateException();
            }
            if (Double.isInfinite(v) && !Double.isInfinite(x) && !Double.isInfinite(y)) {
                throw EvaluationErrors.outOfRange(DataType.DOUBLE);
            }
            return v;
        }
    }

    /**
     * DECIMAL op DECIMAL → DECIMAL(p, s) as typed. Operands are read as 128-bit unscaled values,
     * aligned to a common scale, combined exactly, then rounded to the result scale. Narrow
     * operands (whose aligned values fit a long) take a long-only loop.
     */
    static final class Decimal extends BinaryEvaluator {
        private final Op op;
        private final Int128 x = new Int128();
        private final Int128 y = new Int128();

        Decimal(Op op, DataType type, BufferAllocator allocator, VectorEvaluator l, VectorEvaluator r) {
            super(type, allocator, l, r);
            this.op = op;
        }

        @Override
        protected void compute(FieldVector l, FieldVector r, int n, boolean allValid, long validity) {
            DataType lt = left.type();
            DataType rt = right.type();
            int p = type().precision();
            int s = type().scale();
            long a = l.getDataBufferAddress();
            long b = r.getDataBufferAddress();
            long o = out.getDataBufferAddress();
            int common = Math.max(lt.scale(), rt.scale());
            int ls = lt.scale();
            int rs = rt.scale();
            if ((op == Op.ADD || op == Op.SUBTRACT) && s == common && p <= 18
                    && lt.precision() - ls + common <= 18 && rt.precision() - rs + common <= 18) {
                addLong(a, b, o, n, allValid, validity, Int128.POW10[common - ls], Int128.POW10[common - rs],
                        op == Op.SUBTRACT, Int128.POW10[p]);
                return;
            }
            if (op == Op.MULTIPLY && s == ls + rs && lt.precision() + rt.precision() <= 18) {
                multiplyLong(a, b, o, n, allValid, validity, Int128.POW10[Math.min(p, 18)]);
                return;
            }
            boolean exactProduct = op == Op.MULTIPLY && s == ls + rs;
            // operands of p1 and p2 digits have a product of at most p1 + p2 digits: no check needed
            int check = lt.precision() + rt.precision() <= p ? 38 : p;
            for (int i = 0; i < n; i++) {
                if (!allValid && !Bitmaps.get(validity, i)) {
                    continue;
                }
                if (exactProduct && multiplyNarrow(a + 16L * i, b + 16L * i, o + 16L * i, check)) {
                    continue;
                }
                x.load(a + 16L * i);
                y.load(b + 16L * i);
                int scale;
                switch (op) {
                    case ADD, SUBTRACT -> {
                        align(x, ls, common);
                        align(y, rs, common);
                        boolean ok = op == Op.ADD ? x.add(y.hi, y.lo) : x.subtract(y.hi, y.lo);
                        if (!ok) {
                            throw EvaluationErrors.outOfRange(type());
                        }
                        scale = common;
                    }
                    case MULTIPLY -> {
                        if (!x.multiply(y.hi, y.lo)) {
                            throw EvaluationErrors.outOfRange(type());
                        }
                        scale = ls + rs;
                    }
                    case MOD -> {
                        align(x, ls, common);
                        align(y, rs, common);
                        if (y.signum() == 0) {
                            throw EvaluationErrors.divisionByZero();
                        }
                        if (x.fitsLong() && y.fitsLong()) {
                            x.set(y.lo == -1 ? 0 : x.lo % y.lo);
                        } else {
                            x.set(x.toBigInteger().remainder(y.toBigInteger()));
                        }
                        scale = common;
                    }
                    case DIVIDE -> {
                        if (y.signum() == 0) {
                            throw EvaluationErrors.divisionByZero();
                        }
                        BigDecimal q = x.toBigDecimal(ls).divide(y.toBigDecimal(rs), s, RoundingMode.HALF_UP);
                        BigInteger u = q.unscaledValue();
                        if (u.bitLength() > 126) {
                            throw EvaluationErrors.outOfRange(type());
                        }
                        x.set(u);
                        scale = s;
                    }
                    default -> throw new IllegalStateException();
                }
                if (scale > s) {
                    x.scaleDown(scale - s, Int128.Rounding.HALF_UP);
                } else if (scale < s && !x.scaleUp(s - scale)) {
                    throw EvaluationErrors.outOfRange(type());
                }
                if (!x.fitsPrecision(p)) {
                    throw EvaluationErrors.outOfRange(type());
                }
                x.store(o + 16L * i);
            }
        }

        /**
         * The product of two operands that each fit a long (the usual case: prices, quantities)
         * as one 64×64→128-bit multiply, without the general path's sign handling and rescaling
         * (the result scale is the sum of the operands'). False if an operand is wider; then the
         * caller takes the general path. The product is checked against {@code precision} digits
         * unless that is 38 (the type's limit, which no product of two longs reaches).
         */
        private boolean multiplyNarrow(long xa, long ya, long oa, int precision) {
            long xl = MemoryUtil.getLong(xa);
            long yl = MemoryUtil.getLong(ya);
            if (MemoryUtil.getLong(xa + 8) != (xl >> 63) || MemoryUtil.getLong(ya + 8) != (yl >> 63)) {
                return false;
            }
            long lo = xl * yl;
            long hi = Math.multiplyHigh(xl, yl);
            // |product| < 2^126 < 10^38: only a narrower precision needs the check
            if (precision < 38 && !Int128.fitsPrecision(hi, lo, precision)) {
                throw EvaluationErrors.outOfRange(type());
            }
            MemoryUtil.putLong(oa, lo);
            MemoryUtil.putLong(oa + 8, hi);
            return true;
        }

        private void align(Int128 v, int from, int to) {
            if (to > from && !v.scaleUp(to - from)) {
                throw EvaluationErrors.outOfRange(type());
            }
        }

        private void addLong(long a, long b, long o, int n, boolean allValid, long validity,
                long lm, long rm, boolean subtract, long limit) {
            for (int i = 0; i < n; i++) {
                if (allValid || Bitmaps.get(validity, i)) {
                    long u = MemoryUtil.getLong(a + 16L * i) * lm;
                    long w = MemoryUtil.getLong(b + 16L * i) * rm;
                    long v = subtract ? u - w : u + w;
                    if (v >= limit || v <= -limit) {
                        throw EvaluationErrors.outOfRange(type());
                    }
                    MemoryUtil.putLong(o + 16L * i, v);
                    MemoryUtil.putLong(o + 16L * i + 8, v >> 63);
                }
            }
        }

        private void multiplyLong(long a, long b, long o, int n, boolean allValid, long validity, long limit) {
            for (int i = 0; i < n; i++) {
                if (allValid || Bitmaps.get(validity, i)) {
                    long v = MemoryUtil.getLong(a + 16L * i) * MemoryUtil.getLong(b + 16L * i);
                    if (v >= limit || v <= -limit) {
                        throw EvaluationErrors.outOfRange(type());
                    }
                    MemoryUtil.putLong(o + 16L * i, v);
                    MemoryUtil.putLong(o + 16L * i + 8, v >> 63);
                }
            }
        }
    }

    /** Unary minus. */
    static final class Negate extends UnaryEvaluator {
        Negate(DataType type, BufferAllocator allocator, VectorEvaluator input) {
            super(type, allocator, input);
        }

        @Override
        protected void compute(FieldVector in, int n, boolean allValid, long validity) {
            long a = in.getDataBufferAddress();
            long o = out.getDataBufferAddress();
            for (int i = 0; i < n; i++) {
                if (!allValid && !Bitmaps.get(validity, i)) {
                    continue;
                }
                switch (type().kind()) {
                    case SMALLINT -> {
                        short v = MemoryUtil.getShort(a + 2L * i);
                        if (v == Short.MIN_VALUE) {
                            throw EvaluationErrors.outOfRange(type());
                        }
                        MemoryUtil.putShort(o + 2L * i, (short) -v);
                    }
                    case INTEGER -> {
                        int v = MemoryUtil.getInt(a + 4L * i);
                        if (v == Integer.MIN_VALUE) {
                            throw EvaluationErrors.outOfRange(type());
                        }
                        MemoryUtil.putInt(o + 4L * i, -v);
                    }
                    case BIGINT -> {
                        long v = MemoryUtil.getLong(a + 8L * i);
                        if (v == Long.MIN_VALUE) {
                            throw EvaluationErrors.outOfRange(type());
                        }
                        MemoryUtil.putLong(o + 8L * i, -v);
                    }
                    case REAL -> MemoryUtil.putInt(o + 4L * i, MemoryUtil.getInt(a + 4L * i) ^ Integer.MIN_VALUE);
                    case DOUBLE -> MemoryUtil.putLong(o + 8L * i, MemoryUtil.getLong(a + 8L * i) ^ Long.MIN_VALUE);
                    case DECIMAL -> {
                        long lo = MemoryUtil.getLong(a + 16L * i);
                        long hi = MemoryUtil.getLong(a + 16L * i + 8);
                        MemoryUtil.putLong(o + 16L * i, -lo);
                        MemoryUtil.putLong(o + 16L * i + 8, ~hi + (lo == 0 ? 1 : 0));
                    }
                    default -> throw new IllegalStateException("cannot negate " + type());
                }
            }
        }
    }
}
