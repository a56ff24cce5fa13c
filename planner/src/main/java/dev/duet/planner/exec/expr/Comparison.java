package dev.duet.planner.exec.expr;

import dev.duet.core.types.DataType;
import dev.duet.core.types.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * {@code = <> < <= > >=} between two operands of the same physical type (the compiler aligns
 * them), between an operand and a non-null constant, and {@code low <(=) x <(=) high} (a SEARCH
 * over one range). NULL where an operand is NULL. Orders as {@link dev.duet.core.types.Values#compare}
 * does: strings and byte strings by unsigned bytes (UTF-8 byte order is code point order), doubles
 * with {@code -0 = 0} and NaN equal to itself and above every other value (PostgreSQL).
 *
 * <p>The fixed-width kernels compute each row's bit with arithmetic only, no branch on the data
 * (a branch per row mispredicts on unsorted values and cost three to four times the arithmetic).
 * Values are compared as 64-bit <em>keys</em>: integers and dates as themselves, doubles as their
 * bits made order-preserving ({@link #doubleKey}), decimals by their low word when the high word
 * only extends its sign (a row where it does not takes an exact 128-bit test, a branch that
 * real data practically never takes). A comparison with a constant, and a range, is a test
 * {@code lo <= key <= hi}: one subtraction and an unsigned comparison with {@code hi - lo}, the
 * result flipped for {@code <>} ({@link Interval}). Two columns compare with a signed
 * less-than or an equality on the keys, operands swapped and the result flipped as the operator
 * needs. Booleans compare 64 rows at a time with word operations.
 *
 * <p>{@link #select} over columns of the batch (a comparison of column references with each other
 * or with constants, the usual filter) reads the batch's vectors directly: without a row selection
 * 64 rows make a word of result bits whose set bits are the kept rows; with one, each selected row
 * is tested and appended to the output without a branch (the output index advances by the bit).
 */
final class Comparison {
    enum Op {
        EQUAL(0b010), NOT_EQUAL(0b101), LESS(0b001), LESS_OR_EQUAL(0b011), GREATER(0b100), GREATER_OR_EQUAL(0b110);

        /** Bit {@code c + 1} is the result for a three-way comparison {@code c} of -1, 0 or 1. */
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

        /** {@code =} and {@code <>} test equality; the others a less-than. */
        boolean equality() {
            return this == EQUAL || this == NOT_EQUAL;
        }

        /** Whether the less-than (or equality) is taken with the operands swapped: {@code a > b} is {@code b < a}. */
        boolean swapped() {
            return this == GREATER || this == LESS_OR_EQUAL;
        }

        /** Whether the less-than (or equality) is negated: {@code a >= b} is {@code !(a < b)}. */
        boolean negated() {
            return this == NOT_EQUAL || this == LESS_OR_EQUAL || this == GREATER_OR_EQUAL;
        }
    }

    private Comparison() {
    }

    /** Compares two operands of type {@code operandType}. */
    static VectorEvaluator create(Op op, DataType operandType, BufferAllocator allocator, VectorEvaluator l, VectorEvaluator r) {
        return switch (operandType.kind()) {
            case INTEGER, DATE -> new Int32(op, null, allocator, l, r);
            case BIGINT, TIMESTAMP -> new Int64(op, null, false, allocator, l, r);
            case DOUBLE -> new Int64(op, null, true, allocator, l, r);
            case DECIMAL -> new Decimal(op, null, allocator, l, r);
            case VARCHAR, BYTEA -> new Bytes(op.mask, allocator, l, r, null);
            case BOOLEAN -> new Bool(op, allocator, l, r, 0);
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
            case INTEGER, DATE -> new Int32(op, Interval.of(op, intKey(constant), Integer.MIN_VALUE, Integer.MAX_VALUE),
                    allocator, l, null);
            case BIGINT, TIMESTAMP -> new Int64(op, Interval.of(op, longKey(constant), Long.MIN_VALUE, Long.MAX_VALUE),
                    false, allocator, l, null);
            case DOUBLE -> new Int64(op, Interval.of(op, doubleKey((Double) constant), Long.MIN_VALUE, Long.MAX_VALUE),
                    true, allocator, l, null);
            case DECIMAL -> new Decimal(op, DecimalInterval.of(op, unscaled(constant)), allocator, l, null);
            case VARCHAR -> new Bytes(op.mask, allocator, l, null, ((String) constant).getBytes(StandardCharsets.UTF_8));
            case BYTEA -> new Bytes(op.mask, allocator, l, null, (byte[]) constant);
            case BOOLEAN -> new Bool(op, allocator, l, null, (Boolean) constant ? -1L : 0L);
            default -> throw new IllegalStateException("no comparison kernel for " + operandType);
        };
    }

    /** Whether {@link #createRange} has a kernel for operands of {@code type}. */
    static boolean supportsRange(DataType type) {
        return switch (type.kind()) {
            case INTEGER, DATE, BIGINT, TIMESTAMP, DOUBLE, DECIMAL -> true;
            default -> false;
        };
    }

    /**
     * {@code low <(=) x <(=) high} for constants {@code low} and {@code high} (canonical values of
     * the operand's type, non-null), inclusive where asked: one test per row instead of two
     * comparisons and an AND.
     */
    static VectorEvaluator createRange(DataType operandType, BufferAllocator allocator, VectorEvaluator x,
            Object low, boolean lowInclusive, Object high, boolean highInclusive) {
        return switch (operandType.kind()) {
            case INTEGER, DATE -> new Int32(Op.EQUAL, Interval.between(intKey(low), lowInclusive, intKey(high), highInclusive,
                    Integer.MIN_VALUE, Integer.MAX_VALUE), allocator, x, null);
            case BIGINT, TIMESTAMP -> new Int64(Op.EQUAL, Interval.between(longKey(low), lowInclusive, longKey(high),
                    highInclusive, Long.MIN_VALUE, Long.MAX_VALUE), false, allocator, x, null);
            case DOUBLE -> new Int64(Op.EQUAL, Interval.between(doubleKey((Double) low), lowInclusive, doubleKey((Double) high),
                    highInclusive, Long.MIN_VALUE, Long.MAX_VALUE), true, allocator, x, null);
            case DECIMAL -> new Decimal(Op.EQUAL, DecimalInterval.between(unscaled(low), lowInclusive, unscaled(high),
                    highInclusive), allocator, x, null);
            default -> throw new IllegalStateException("no range kernel for " + operandType);
        };
    }

    private static long intKey(Object constant) {
        return constant instanceof LocalDate d ? d.toEpochDay() : ((Number) constant).intValue();
    }

    private static long longKey(Object constant) {
        return constant instanceof LocalDateTime t ? Values.toEpochMicros(t) : ((Number) constant).longValue();
    }

    private static BigInteger unscaled(Object constant) {
        return ((BigDecimal) constant).unscaledValue();
    }

    /**
     * A double's bits as a long that orders as PostgreSQL orders doubles: {@code -0} is made
     * {@code +0} (adding {@code +0.0}), every NaN the one canonical NaN, whose bits are above
     * infinity's; negative values have their magnitude bits inverted so that larger magnitudes
     * give smaller keys.
     */
    static long doubleKey(double v) {
        long bits = Double.doubleToLongBits(v + 0.0);
        return bits ^ ((bits >> 63) >>> 1);
    }

    /** PostgreSQL's double order: NaN equals NaN and is above everything; -0 equals 0. */
    static int compareDouble(double a, double b) {
        return Long.compare(doubleKey(a), doubleKey(b));
    }

    /** 1 if {@code a < b} as unsigned longs, else 0, without a branch (the borrow of {@code a - b}). */
    static long unsignedLess(long a, long b) {
        return ((~a & b) | ((~a | b) & (a - b))) >>> 63;
    }

    /** 1 if {@code a < b} as signed longs, else 0, without a branch (the sign of {@code a - b} corrected for overflow). */
    static long signedLess(long a, long b) {
        long d = a - b;
        return (d ^ ((a ^ b) & (d ^ a))) >>> 63;
    }

    /** 1 if {@code a == b}, else 0, without a branch. */
    static long equal(long a, long b) {
        long x = a ^ b;
        return ~(x | -x) >>> 63;
    }

    /**
     * The keys {@code lo <= key <= hi}, or (with {@code flip} 1) the others. An empty set is the
     * whole domain flipped, so that every test has one form: {@code key - lo <= hi - lo} unsigned
     * (exact for any longs: subtracting {@code lo} moves the interval to start at 0).
     */
    record Interval(long lo, long width, long flip) {
        static Interval closed(long lo, long hi, boolean negated) {
            return new Interval(lo, hi - lo, negated ? 1 : 0);
        }

        static Interval empty(long min, long max, boolean negated) {
            return closed(min, max, !negated);
        }

        /** {@code key op c} over keys in {@code [min, max]}. */
        static Interval of(Op op, long c, long min, long max) {
            return switch (op) {
                case EQUAL -> closed(c, c, false);
                case NOT_EQUAL -> closed(c, c, true);
                case LESS -> c == min ? empty(min, max, false) : closed(min, c - 1, false);
                case LESS_OR_EQUAL -> closed(min, c, false);
                case GREATER -> c == max ? empty(min, max, false) : closed(c + 1, max, false);
                case GREATER_OR_EQUAL -> closed(c, max, false);
            };
        }

        /** {@code low <(=) key <(=) high} over keys in {@code [min, max]}. */
        static Interval between(long low, boolean lowInclusive, long high, boolean highInclusive, long min, long max) {
            if (!lowInclusive) {
                if (low == max) {
                    return empty(min, max, false);
                }
                low++;
            }
            if (!highInclusive) {
                if (high == min) {
                    return empty(min, max, false);
                }
                high--;
            }
            return low > high ? empty(min, max, false) : closed(low, high, false);
        }

        /** The test for any long keys. */
        long test(long key) {
            return 1 ^ unsignedLess(width, key - lo) ^ flip;
        }

        /**
         * The test for keys and bounds within 33 bits (INTEGER and DATE): the subtractions are
         * exact, so {@code 0 <= d <= width} is two sign bits.
         */
        long testNarrow(long key) {
            long d = key - lo;
            return (~(d | (width - d)) >>> 63) ^ flip;
        }
    }

    /**
     * An interval of 128-bit decimal keys ({@link Interval}'s form in 128 bits), with the same
     * interval cut to the values that fit a long ({@link #fast}) for the rows whose value does.
     */
    record DecimalInterval(long loHi, long loLo, long hiHi, long hiLo, boolean negated, Interval fast) {
        private static final BigInteger MIN = BigInteger.ONE.shiftLeft(127).negate();
        private static final BigInteger MAX = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);
        private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
        private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

        static DecimalInterval of(Op op, BigInteger c) {
            return switch (op) {
                case EQUAL -> closed(c, c, false);
                case NOT_EQUAL -> closed(c, c, true);
                case LESS -> closed(MIN, c.subtract(BigInteger.ONE), false);
                case LESS_OR_EQUAL -> closed(MIN, c, false);
                case GREATER -> closed(c.add(BigInteger.ONE), MAX, false);
                case GREATER_OR_EQUAL -> closed(c, MAX, false);
            };
        }

        static DecimalInterval between(BigInteger low, boolean lowInclusive, BigInteger high, boolean highInclusive) {
            return closed(lowInclusive ? low : low.add(BigInteger.ONE), highInclusive ? high : high.subtract(BigInteger.ONE), false);
        }

        /** Decimal constants stay below 10^38 in magnitude, so {@code lo} and {@code hi} fit 128 bits. */
        private static DecimalInterval closed(BigInteger lo, BigInteger hi, boolean negated) {
            BigInteger fastLo = lo.max(LONG_MIN);
            BigInteger fastHi = hi.min(LONG_MAX);
            Interval fast = fastLo.compareTo(fastHi) > 0
                    ? Interval.empty(Long.MIN_VALUE, Long.MAX_VALUE, negated)
                    : Interval.closed(fastLo.longValue(), fastHi.longValue(), negated);
            return new DecimalInterval(lo.shiftRight(64).longValue(), lo.longValue(), hi.shiftRight(64).longValue(),
                    hi.longValue(), negated, fast);
        }

        /** The exact test of a value that does not fit a long (an empty interval has {@code lo > hi}: never inside). */
        long testWide(long hi, long lo) {
            boolean inside = Int128.compare(hi, lo, loHi, loLo) >= 0 && Int128.compare(hi, lo, hiHi, hiLo) <= 0;
            return inside != negated ? 1 : 0;
        }
    }

    /**
     * Evaluates the operands, sets the validity, and fills the result a word at a time; selects
     * straight from the batch's vectors when the operands are its columns.
     */
    private abstract static class Kernel extends ComputedEvaluator {
        private final VectorEvaluator left;
        private final VectorEvaluator right;
        /** The batch columns the operands are ({@code -1}: computed, or {@code right} a constant). */
        private final int leftColumn;
        private final int rightColumn;

        Kernel(BufferAllocator allocator, VectorEvaluator left, VectorEvaluator right) {
            super(DataType.BOOLEAN, allocator, right == null ? new VectorEvaluator[] {left} : new VectorEvaluator[] {left, right});
            this.left = left;
            this.right = right;
            this.leftColumn = left instanceof InputRefEvaluator ref ? ref.index() : -1;
            this.rightColumn = right instanceof InputRefEvaluator ref ? ref.index() : -1;
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

        @Override
        public final int select(VectorSchemaRoot batch, int[] rows, int count, int[] out) {
            if (leftColumn < 0 || (right != null && rightColumn < 0)) {
                return super.select(batch, rows, count, out);
            }
            FieldVector l = batch.getVector(leftColumn);
            FieldVector r = right == null ? null : batch.getVector(rightColumn);
            bind(l, r);
            long lv = l.getNullCount() == 0 ? 0 : l.getValidityBufferAddress();
            long rv = r == null || r.getNullCount() == 0 ? 0 : r.getValidityBufferAddress();
            if (rows == null) {
                int n = 0;
                int total = batch.getRowCount();
                for (int from = 0; from < count; from += 64) {
                    long bits = word(from, Math.min(count, from + 64));
                    int w = from >>> 6;
                    if (lv != 0) {
                        bits &= Bitmaps.word(lv, w, total);
                    }
                    if (rv != 0) {
                        bits &= Bitmaps.word(rv, w, total);
                    }
                    n = Bitmaps.appendSetBits(bits, from, null, out, n);
                }
                return n;
            }
            int n = sparse(rows, count, out);
            if (lv != 0) {
                n = Bitmaps.keepSet(lv, out, n);
            }
            if (rv != 0) {
                n = Bitmaps.keepSet(rv, out, n);
            }
            return n;
        }

        /** Takes the operand vectors' addresses ({@code r} null when comparing with a constant). */
        protected abstract void bind(FieldVector l, FieldVector r);

        /**
         * Result bits of rows {@code [from, to)} (at most 64), row {@code from} in bit 0, higher
         * bits clear. The loops shift each row's bit in at the top of the word and the finished
         * word down: a constant shift per row instead of a variable one.
         */
        protected abstract long word(int from, int to);

        /**
         * Writes the rows of {@code rows[0..count)} whose result is TRUE to {@code out} (which may
         * be {@code rows}: row {@code j} is read before output {@code j} is written), validity
         * aside; returns how many.
         */
        protected abstract int sparse(int[] rows, int count, int[] out);
    }

    /** INTEGER and DATE: keys are the values, tests on exact 64-bit differences. */
    private static final class Int32 extends Kernel {
        /** A comparison with a constant, or a range; null for two operands. */
        private final Interval interval;
        private final boolean equality;
        private final boolean swapped;
        private final long flip;
        private long a;
        private long b;

        Int32(Op op, Interval interval, BufferAllocator allocator, VectorEvaluator l, VectorEvaluator r) {
            super(allocator, l, r);
            this.interval = interval;
            this.equality = op.equality();
            this.swapped = op.swapped();
            this.flip = op.negated() ? 1 : 0;
        }

        @Override
        protected void bind(FieldVector l, FieldVector r) {
            a = l.getDataBufferAddress();
            b = r == null ? 0 : r.getDataBufferAddress();
            if (swapped && r != null) {
                long t = a;
                a = b;
                b = t;
            }
        }

        @Override
        protected long word(int from, int to) {
            // each row's bit enters at the top and moves down: no variable shift per row
            long bits = 0;
            long x = a;
            long y = b;
            if (interval != null) {
                // Interval.testNarrow inlined, its sign bit taken as it is
                long lo = interval.lo();
                long width = interval.width();
                for (int i = from; i < to; i++) {
                    long d = MemoryUtil.getInt(x + 4L * i) - lo;
                    bits = (bits >>> 1) | (~(d | (width - d)) & Long.MIN_VALUE);
                }
                int n = to - from;
                return (bits >>> (64 - n)) ^ (-interval.flip() >>> (64 - n));
            } else if (equality) {
                for (int i = from; i < to; i++) {
                    bits = (bits >>> 1) | (equal(MemoryUtil.getInt(x + 4L * i), MemoryUtil.getInt(y + 4L * i)) << 63);
                }
            } else {
                for (int i = from; i < to; i++) {
                    bits = (bits >>> 1) | (((long) MemoryUtil.getInt(x + 4L * i) - MemoryUtil.getInt(y + 4L * i)) & Long.MIN_VALUE);
                }
            }
            return (bits ^ -flip) >>> (64 - (to - from));
        }

        @Override
        protected int sparse(int[] rows, int count, int[] out) {
            int n = 0;
            long x = a;
            long y = b;
            if (interval != null) {
                Interval in = interval;
                for (int j = 0; j < count; j++) {
                    int r = rows[j];
                    out[n] = r;
                    n += (int) in.testNarrow(MemoryUtil.getInt(x + 4L * r));
                }
            } else if (equality) {
                long f = flip;
                for (int j = 0; j < count; j++) {
                    int r = rows[j];
                    out[n] = r;
                    n += (int) (equal(MemoryUtil.getInt(x + 4L * r), MemoryUtil.getInt(y + 4L * r)) ^ f);
                }
            } else {
                long f = flip;
                for (int j = 0; j < count; j++) {
                    int r = rows[j];
                    out[n] = r;
                    n += (int) ((((long) MemoryUtil.getInt(x + 4L * r) - MemoryUtil.getInt(y + 4L * r)) >>> 63) ^ f);
                }
            }
            return n;
        }
    }

    /** BIGINT and TIMESTAMP (keys are the values), DOUBLE (keys by {@link #doubleKey}). */
    private static final class Int64 extends Kernel {
        private final Interval interval;
        private final boolean doubles;
        private final boolean equality;
        private final boolean swapped;
        private final long flip;
        private long a;
        private long b;

        Int64(Op op, Interval interval, boolean doubles, BufferAllocator allocator, VectorEvaluator l, VectorEvaluator r) {
            super(allocator, l, r);
            this.interval = interval;
            this.doubles = doubles;
            this.equality = op.equality();
            this.swapped = op.swapped();
            this.flip = op.negated() ? 1 : 0;
        }

        @Override
        protected void bind(FieldVector l, FieldVector r) {
            a = l.getDataBufferAddress();
            b = r == null ? 0 : r.getDataBufferAddress();
            if (swapped && r != null) {
                long t = a;
                a = b;
                b = t;
            }
        }

        private static long key(long address, boolean doubles) {
            long v = MemoryUtil.getLong(address);
            return doubles ? doubleKey(Double.longBitsToDouble(v)) : v;
        }

        @Override
        protected long word(int from, int to) {
            long bits = 0;
            long x = a;
            long y = b;
            if (interval != null) {
                Interval in = interval;
                if (doubles) {
                    for (int i = from; i < to; i++) {
                        bits = (bits >>> 1) | (in.test(key(x + 8L * i, true)) << 63);
                    }
                } else {
                    for (int i = from; i < to; i++) {
                        bits = (bits >>> 1) | (in.test(MemoryUtil.getLong(x + 8L * i)) << 63);
                    }
                }
                return bits >>> (64 - (to - from));
            }
            boolean d = doubles;
            if (equality) {
                for (int i = from; i < to; i++) {
                    bits = (bits >>> 1) | (equal(key(x + 8L * i, d), key(y + 8L * i, d)) << 63);
                }
            } else {
                for (int i = from; i < to; i++) {
                    bits = (bits >>> 1) | (signedLess(key(x + 8L * i, d), key(y + 8L * i, d)) << 63);
                }
            }
            return (bits ^ -flip) >>> (64 - (to - from));
        }

        @Override
        protected int sparse(int[] rows, int count, int[] out) {
            int n = 0;
            long x = a;
            long y = b;
            boolean d = doubles;
            if (interval != null) {
                Interval in = interval;
                for (int j = 0; j < count; j++) {
                    int r = rows[j];
                    out[n] = r;
                    n += (int) in.test(key(x + 8L * r, d));
                }
            } else if (equality) {
                long f = flip;
                for (int j = 0; j < count; j++) {
                    int r = rows[j];
                    out[n] = r;
                    n += (int) (equal(key(x + 8L * r, d), key(y + 8L * r, d)) ^ f);
                }
            } else {
                long f = flip;
                for (int j = 0; j < count; j++) {
                    int r = rows[j];
                    out[n] = r;
                    n += (int) (signedLess(key(x + 8L * r, d), key(y + 8L * r, d)) ^ f);
                }
            }
            return n;
        }
    }

    /**
     * DECIMAL (128-bit two's complement, low word first). With a constant or a range: the 64-bit
     * test on the low word where the high word is its sign, the exact test elsewhere. Two
     * operands: a 128-bit less-than or equality from word operations.
     */
    private static final class Decimal extends Kernel {
        private final DecimalInterval interval;
        private final boolean equality;
        private final boolean swapped;
        private final long flip;
        private long a;
        private long b;

        Decimal(Op op, DecimalInterval interval, BufferAllocator allocator, VectorEvaluator l, VectorEvaluator r) {
            super(allocator, l, r);
            this.interval = interval;
            this.equality = op.equality();
            this.swapped = op.swapped();
            this.flip = op.negated() ? 1 : 0;
        }

        @Override
        protected void bind(FieldVector l, FieldVector r) {
            a = l.getDataBufferAddress();
            b = r == null ? 0 : r.getDataBufferAddress();
            if (swapped && r != null) {
                long t = a;
                a = b;
                b = t;
            }
        }

        /** The interval test of the value at {@code address}. */
        private static long test(DecimalInterval in, long address) {
            long lo = MemoryUtil.getLong(address);
            long hi = MemoryUtil.getLong(address + 8);
            return hi == (lo >> 63) ? in.fast().test(lo) : in.testWide(hi, lo);
        }

        /** {@code x < y} (or {@code x = y}) for the values at the two addresses. */
        private static long test(boolean equality, long x, long y) {
            long xl = MemoryUtil.getLong(x);
            long xh = MemoryUtil.getLong(x + 8);
            long yl = MemoryUtil.getLong(y);
            long yh = MemoryUtil.getLong(y + 8);
            if (equality) {
                long d = (xl ^ yl) | (xh ^ yh);
                return ~(d | -d) >>> 63;
            }
            return signedLess(xh, yh) | (equal(xh, yh) & unsignedLess(xl, yl));
        }

        @Override
        protected long word(int from, int to) {
            long bits = 0;
            long x = a;
            long y = b;
            if (interval != null) {
                DecimalInterval in = interval;
                for (int i = from; i < to; i++) {
                    bits = (bits >>> 1) | (test(in, x + 16L * i) << 63);
                }
                return bits >>> (64 - (to - from));
            }
            boolean eq = equality;
            for (int i = from; i < to; i++) {
                bits = (bits >>> 1) | (test(eq, x + 16L * i, y + 16L * i) << 63);
            }
            return (bits ^ -flip) >>> (64 - (to - from));
        }

        @Override
        protected int sparse(int[] rows, int count, int[] out) {
            int n = 0;
            long x = a;
            long y = b;
            if (interval != null) {
                DecimalInterval in = interval;
                for (int j = 0; j < count; j++) {
                    int r = rows[j];
                    out[n] = r;
                    n += (int) test(in, x + 16L * r);
                }
                return n;
            }
            boolean eq = equality;
            long f = flip;
            for (int j = 0; j < count; j++) {
                int r = rows[j];
                out[n] = r;
                n += (int) (test(eq, x + 16L * r, y + 16L * r) ^ f);
            }
            return n;
        }
    }

    /**
     * Strings and byte strings: an unsigned byte comparison per row, its sign turned into the bit
     * by the operator's mask; {@code =} and {@code <>} with a constant compare lengths and eight
     * bytes at a time without a branch ({@link ByteKeys}).
     */
    private static final class Bytes extends Kernel {
        private final int mask;
        private final byte[] constant;
        /** The constant of {@code =} or {@code <>}; null for other operators and two operands. */
        private final ByteKeys equalTo;
        private final long flip;
        private long aOffsets;
        private long aData;
        private long aEnd;
        private long bOffsets;
        private long bData;

        Bytes(int mask, BufferAllocator allocator, VectorEvaluator l, VectorEvaluator r, byte[] constant) {
            super(allocator, l, r);
            this.mask = mask;
            this.constant = constant;
            boolean equality = mask == Op.EQUAL.mask || mask == Op.NOT_EQUAL.mask;
            this.equalTo = constant != null && equality ? new ByteKeys(new byte[][] {constant}) : null;
            this.flip = mask == Op.NOT_EQUAL.mask ? 1 : 0;
        }

        @Override
        protected void bind(FieldVector l, FieldVector r) {
            aOffsets = l.getOffsetBufferAddress();
            aData = l.getDataBufferAddress();
            aEnd = aData + l.getDataBuffer().capacity();
            if (r != null) {
                bOffsets = r.getOffsetBufferAddress();
                bData = r.getDataBufferAddress();
            }
        }

        private long test(int i) {
            int as = MemoryUtil.getInt(aOffsets + 4L * i);
            int al = MemoryUtil.getInt(aOffsets + 4L * i + 4) - as;
            if (equalTo != null) {
                return equalTo.matches(aData + as, al, aEnd) ^ flip;
            }
            int c;
            if (constant == null) {
                int bs = MemoryUtil.getInt(bOffsets + 4L * i);
                int bl = MemoryUtil.getInt(bOffsets + 4L * i + 4) - bs;
                c = Utf8Bytes.compare(aData + as, al, bData + bs, bl);
            } else {
                c = Utf8Bytes.compare(aData + as, al, constant);
            }
            return (mask >>> (Integer.signum(c) + 1)) & 1;
        }

        @Override
        protected long word(int from, int to) {
            long bits = 0;
            for (int i = from; i < to; i++) {
                bits = (bits >>> 1) | (test(i) << 63);
            }
            return bits >>> (64 - (to - from));
        }

        @Override
        protected int sparse(int[] rows, int count, int[] out) {
            int n = 0;
            for (int j = 0; j < count; j++) {
                int r = rows[j];
                out[n] = r;
                n += (int) test(r);
            }
            return n;
        }
    }

    /** BOOLEAN ({@code false < true}): 64 rows per word operation. */
    private static final class Bool extends Kernel {
        private final boolean equality;
        private final boolean swapped;
        private final long flip;
        /** The constant operand as a word of 64 equal bits; used when there is no right operand. */
        private final long constant;
        private long a;
        private long b;
        private boolean scalar;

        Bool(Op op, BufferAllocator allocator, VectorEvaluator l, VectorEvaluator r, long constant) {
            super(allocator, l, r);
            this.equality = op.equality();
            this.swapped = op.swapped();
            this.flip = op.negated() ? -1L : 0L;
            this.constant = constant;
        }

        @Override
        protected void bind(FieldVector l, FieldVector r) {
            a = l.getDataBufferAddress();
            scalar = r == null;
            b = scalar ? 0 : r.getDataBufferAddress();
        }

        /** The result bits for operand words {@code x} and {@code y}. */
        private long test(long x, long y) {
            if (swapped) {
                long t = x;
                x = y;
                y = t;
            }
            return (equality ? ~(x ^ y) : ~x & y) ^ flip;
        }

        @Override
        protected long word(int from, int to) {
            int w = from >>> 6;
            long x = Bitmaps.word(a, w, to);
            long y = scalar ? constant : Bitmaps.word(b, w, to);
            long bits = test(x, y);
            return to - from == 64 ? bits : bits & ((1L << (to - from)) - 1);
        }

        @Override
        protected int sparse(int[] rows, int count, int[] out) {
            int n = 0;
            for (int j = 0; j < count; j++) {
                int r = rows[j];
                long x = -(long) ((MemoryUtil.getByte(a + (r >>> 3)) >> (r & 7)) & 1);
                long y = scalar ? constant : -(long) ((MemoryUtil.getByte(b + (r >>> 3)) >> (r & 7)) & 1);
                out[n] = r;
                n += (int) (test(x, y) & 1);
            }
            return n;
        }
    }
}
