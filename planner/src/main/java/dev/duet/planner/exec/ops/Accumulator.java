package dev.duet.planner.exec.ops;

import dev.duet.planner.exec.expr.Int128;
import dev.duet.core.exec.HeapReservation;
import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.exec.Batches;
import dev.duet.core.types.DataType;
import dev.duet.core.types.DataType.Kind;
import java.util.Arrays;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;

/**
 * The running state of one aggregate over all groups of a {@link HashAggregateOperator}: one
 * primitive array (or a few) indexed by group id. {@link #accumulate} folds the selected rows of
 * a batch into their groups in one tight loop over decoded column values; the rows it gets are
 * already filtered (FILTER, DISTINCT and, for every kind but {@code SINGLE_VALUE}, NULL arguments
 * removed). {@link #create} picks the implementation for an aggregate's kind, argument type and
 * output type.
 */
abstract class Accumulator {
    final HeapReservation memory;
    int capacity;

    Accumulator(HeapReservation memory) {
        this.memory = memory;
    }

    /** Makes room for group ids below {@code groups} (new groups start empty). */
    final void ensureCapacity(int groups) {
        if (groups > capacity) {
            grow(capacity, groups);
            capacity = groups;
        }
    }

    abstract void grow(int oldCapacity, int newCapacity);

    /** Folds rows {@code sel[0..n)} of the batch into groups {@code groups[row]}. */
    abstract void accumulate(int[] groups, int[] sel, int n, AggregateInput in);

    /**
     * Whether {@link #accumulateRun} is implemented: the accumulator's result does not depend on
     * the order of its rows (exact integer arithmetic, not floating-point sums), so the operator
     * may hand it the rows sorted by group.
     */
    boolean takesRuns() {
        return false;
    }

    /**
     * Folds rows {@code sorted[from..to)}, all of group {@code g}, into that group: one run of a
     * selection sorted by group, so that the state of the group stays in registers for the run.
     * Only called when {@link #takesRuns()}.
     */
    void accumulateRun(int g, int[] sorted, int from, int to, AggregateInput in) {
        throw new IllegalStateException(getClass().getSimpleName() + " takes no runs: the caller must check takesRuns()");
    }

    /** Writes the results of groups {@code [from, from + count)} to rows {@code [0, count)} of {@code out}. */
    abstract void write(FieldVector out, int from, int count);

    /** The accumulator of {@code call} over an argument of {@code input} (null for COUNT(*)). */
    static Accumulator create(AggregateCall call, DataType input, HeapReservation memory) {
        DataType out = call.type();
        Kind in = input == null ? null : input.kind();
        switch (call.kind()) {
            case COUNT_STAR, COUNT -> {
                require(out.kind() == Kind.BIGINT, call, input);
                return new Count(memory);
            }
            case SUM -> {
                if (in == Kind.SMALLINT || in == Kind.INTEGER || in == Kind.BIGINT) {
                    if (out.kind() == Kind.SMALLINT || out.kind() == Kind.INTEGER || out.kind() == Kind.BIGINT) {
                        return new LongSum(memory, out.kind());
                    }
                }
                if ((in == Kind.SMALLINT || in == Kind.INTEGER || in == Kind.BIGINT || in == Kind.DECIMAL)
                        && out.kind() == Kind.DECIMAL && out.scale() == input.scale()) {
                    return new Int128Sum(memory, false, input, out);
                }
                if (ArrowBuffers.isNumeric(in) && (out.kind() == Kind.DOUBLE || out.kind() == Kind.REAL)) {
                    return new DoubleSum(memory, false);
                }
                throw unsupported(call, input);
            }
            case AVG -> {
                require(ArrowBuffers.isNumeric(in) && (out.kind() == Kind.DOUBLE || out.kind() == Kind.REAL), call, input);
                return in == Kind.REAL || in == Kind.DOUBLE ? new DoubleSum(memory, true) : new Int128Sum(memory, true, input, out);
            }
            case STDDEV_SAMP, STDDEV_POP, VAR_SAMP, VAR_POP -> {
                require(ArrowBuffers.isNumeric(in) && (out.kind() == Kind.DOUBLE || out.kind() == Kind.REAL), call, input);
                return new Variance(memory, call.kind());
            }
            case MIN, MAX -> {
                require(out.kind() == in && out.scale() == input.scale(), call, input);
                boolean max = call.kind() == AggregateKind.MAX;
                return switch (in) {
                    case BOOLEAN, SMALLINT, INTEGER, BIGINT, DATE, TIMESTAMP -> new LongMinMax(memory, max, in);
                    case REAL, DOUBLE -> new DoubleMinMax(memory, max);
                    case DECIMAL -> new DecimalMinMax(memory, max);
                    case VARCHAR, BYTEA -> new BytesMinMax(memory, max);
                };
            }
            case BOOL_AND, BOOL_OR -> {
                require(in == Kind.BOOLEAN && out.kind() == Kind.BOOLEAN, call, input);
                return new BoolAndOr(memory, call.kind() == AggregateKind.BOOL_AND);
            }
            case SINGLE_VALUE -> {
                require(out.kind() == in && out.scale() == input.scale(), call, input);
                return new SingleValue(memory);
            }
        }
        throw unsupported(call, input);
    }

    private static void require(boolean ok, AggregateCall call, DataType input) {
        if (!ok) {
            throw unsupported(call, input);
        }
    }

    private static IllegalArgumentException unsupported(AggregateCall call, DataType input) {
        return new IllegalArgumentException("unsupported aggregate " + call + " over an argument of type " + input);
    }

    static DuetException overflow(DataType type) {
        return DuetException.of(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "%s out of range",
                type.kind() == Kind.DECIMAL ? "numeric field" : type.toString().toLowerCase(java.util.Locale.ROOT));
    }

    /** COUNT(*) and COUNT(x): the number of selected rows. */
    static final class Count extends Accumulator {
        private long[] counts = new long[0];

        Count(HeapReservation memory) {
            super(memory);
        }

        @Override
        void grow(int oldCapacity, int newCapacity) {
            counts = memory.grow(counts, newCapacity);
        }

        @Override
        void accumulate(int[] groups, int[] sel, int n, AggregateInput in) {
            long[] c = counts;
            for (int k = 0; k < n; k++) {
                c[groups[sel[k]]]++;
            }
        }

        @Override
        boolean takesRuns() {
            return true;
        }

        @Override
        void accumulateRun(int g, int[] sorted, int from, int to, AggregateInput in) {
            counts[g] += to - from;
        }

        @Override
        void write(FieldVector out, int from, int count) {
            BigIntVector v = (BigIntVector) out;
            for (int i = 0; i < count; i++) {
                v.set(i, counts[from + i]);
            }
        }
    }

    /** SUM of SMALLINT/INTEGER/BIGINT into a 64-bit integer, overflow checked. */
    static final class LongSum extends Accumulator {
        private final Kind outKind;
        private long[] sums = new long[0];
        private boolean[] seen = new boolean[0];

        LongSum(HeapReservation memory, Kind outKind) {
            super(memory);
            this.outKind = outKind;
        }

        @Override
        void grow(int oldCapacity, int newCapacity) {
            sums = memory.grow(sums, newCapacity);
            seen = memory.grow(seen, newCapacity);
        }

        @Override
        void accumulate(int[] groups, int[] sel, int n, AggregateInput in) {
            long[] v = in.longs();
            long[] s = sums;
            boolean[] seen = this.seen;
            try {
                for (int k = 0; k < n; k++) {
                    int r = sel[k];
                    int g = groups[r];
                    s[g] = Math.addExact(s[g], v[r]);
                    seen[g] = true;
                }
            } catch (ArithmeticException e) {
                throw overflow(DataType.BIGINT);
            }
        }

        @Override
        boolean takesRuns() {
            return true;
        }

        @Override
        void accumulateRun(int g, int[] sorted, int from, int to, AggregateInput in) {
            long[] v = in.longs();
            long sum = sums[g];
            try {
                for (int k = from; k < to; k++) {
                    sum = Math.addExact(sum, v[sorted[k]]);
                }
            } catch (ArithmeticException e) {
                throw overflow(DataType.BIGINT);
            }
            sums[g] = sum;
            seen[g] |= to > from;
        }

        @Override
        void write(FieldVector out, int from, int count) {
            for (int i = 0; i < count; i++) {
                int g = from + i;
                if (!seen[g]) {
                    out.setNull(i);
                    continue;
                }
                long x = sums[g];
                if ((outKind == Kind.INTEGER && x != (int) x) || (outKind == Kind.SMALLINT && x != (short) x)) {
                    throw overflow(outKind == Kind.INTEGER ? DataType.INTEGER : DataType.SMALLINT);
                }
                ArrowBuffers.setLong(out, outKind, i, x);
            }
        }
    }

    /**
     * SUM into DECIMAL and AVG of exact numbers: a 128-bit sum (unscaled for DECIMAL) and a count
     * per group. The sum's precision is checked against the output type when written. When every
     * value of a batch fits 64 bits ({@link AggregateInput#fitsLong}), a run of one group is
     * summed in a plain long, added to the 128-bit sum only where the long would overflow and at
     * the end of the run; without an overflow test at all when the batch's values are too small
     * for any sum of them to overflow ({@link AggregateInput#sumsFitLong}).
     */
    static final class Int128Sum extends Accumulator {
        private final boolean average;
        private final DataType out;
        private final double divisor;
        private long[] hi = new long[0];
        private long[] lo = new long[0];
        private long[] counts = new long[0];

        Int128Sum(HeapReservation memory, boolean average, DataType input, DataType out) {
            super(memory);
            this.average = average;
            this.out = out;
            this.divisor = Math.pow(10, input.scale());
        }

        @Override
        void grow(int oldCapacity, int newCapacity) {
            hi = memory.grow(hi, newCapacity);
            lo = memory.grow(lo, newCapacity);
            counts = memory.grow(counts, newCapacity);
        }

        @Override
        void accumulate(int[] groups, int[] sel, int n, AggregateInput in) {
            long[] shi = hi;
            long[] slo = lo;
            long[] c = counts;
            if (in.fitsLong()) {
                long[] v = in.narrow();
                for (int k = 0; k < n; k++) {
                    int r = sel[k];
                    int g = groups[r];
                    long x = v[r];
                    shi[g] = addHigh(shi[g], slo[g], x);
                    slo[g] += x;
                    c[g]++;
                }
                return;
            }
            long[] vh = in.hi();
            long[] vl = in.lo();
            for (int k = 0; k < n; k++) {
                int r = sel[k];
                int g = groups[r];
                long xl = vl[r];
                long xh = vh[r];
                long a = slo[g];
                long sum = a + xl;
                long h = shi[g];
                long nh = h + xh + (Long.compareUnsigned(sum, a) < 0 ? 1 : 0);
                if (((h ^ nh) & (xh ^ nh)) < 0) {
                    throw overflow(out);
                }
                slo[g] = sum;
                shi[g] = nh;
                c[g]++;
            }
        }

        /** The high word of the 128-bit {@code (h, l) + x}; 22003 if that overflows. */
        private long addHigh(long h, long l, long x) {
            long nh = h + (x >> 63) + (Long.compareUnsigned(l + x, l) < 0 ? 1 : 0);
            if (((h ^ nh) & ((x >> 63) ^ nh)) < 0) {
                throw overflow(out);
            }
            return nh;
        }

        @Override
        boolean takesRuns() {
            return true;
        }

        @Override
        void accumulateRun(int g, int[] sorted, int from, int to, AggregateInput in) {
            long h = hi[g];
            long l = lo[g];
            if (in.sumsFitLong()) {
                long[] v = in.narrow();
                long run = 0;
                for (int k = from; k < to; k++) {
                    run += v[sorted[k]];
                }
                h = addHigh(h, l, run);
                l += run;
            } else if (in.fitsLong()) {
                // a 64-bit running sum, added to the 128-bit one only when it would overflow
                long[] v = in.narrow();
                long run = 0;
                for (int k = from; k < to; k++) {
                    long x = v[sorted[k]];
                    long t = run + x;
                    if (((run ^ t) & (x ^ t)) < 0) {
                        h = addHigh(h, l, run);
                        l += run;
                        t = x;
                    }
                    run = t;
                }
                h = addHigh(h, l, run);
                l += run;
            } else {
                long[] vh = in.hi();
                long[] vl = in.lo();
                for (int k = from; k < to; k++) {
                    int r = sorted[k];
                    long xl = vl[r];
                    long xh = vh[r];
                    long sum = l + xl;
                    long nh = h + xh + (Long.compareUnsigned(sum, l) < 0 ? 1 : 0);
                    if (((h ^ nh) & (xh ^ nh)) < 0) {
                        throw overflow(out);
                    }
                    l = sum;
                    h = nh;
                }
            }
            hi[g] = h;
            lo[g] = l;
            counts[g] += to - from;
        }

        @Override
        void write(FieldVector v, int from, int count) {
            write(v, from, count, average, out);
        }

        private void write(FieldVector v, int from, int count, boolean average, DataType out) {
            for (int i = 0; i < count; i++) {
                int g = from + i;
                if (counts[g] == 0) {
                    v.setNull(i);
                } else if (average) {
                    ArrowBuffers.setDouble(v, i, Int128.toDouble(hi[g], lo[g]) / divisor / counts[g]);
                } else {
                    if (!Int128.fitsPrecision(hi[g], lo[g], out.precision())) {
                        throw overflow(out);
                    }
                    ArrowBuffers.setDecimal(v, i, hi[g], lo[g]);
                }
            }
        }

        /**
         * Another aggregate over the same rows ({@code average}: AVG, else SUM into {@code out})
         * read from this state: the returned accumulator takes no rows and holds nothing; it
         * writes this sum (and count) as its own result.
         */
        Accumulator sharedBy(boolean average, DataType out) {
            Int128Sum state = this;
            return new Accumulator(memory) {
                @Override
                void grow(int oldCapacity, int newCapacity) {
                    // the state is grown with its owner
                }

                @Override
                void accumulate(int[] groups, int[] sel, int n, AggregateInput in) {
                    throw new IllegalStateException("a shared SUM/AVG state is fed through its owner");
                }

                @Override
                void write(FieldVector v, int from, int count) {
                    state.write(v, from, count, average, out);
                }
            };
        }
    }

    /** SUM and AVG in double precision (REAL and DOUBLE arguments, or a DOUBLE output). */
    static final class DoubleSum extends Accumulator {
        private final boolean average;
        private double[] sums = new double[0];
        private long[] counts = new long[0];

        DoubleSum(HeapReservation memory, boolean average) {
            super(memory);
            this.average = average;
        }

        @Override
        void grow(int oldCapacity, int newCapacity) {
            sums = memory.grow(sums, newCapacity);
            counts = memory.grow(counts, newCapacity);
        }

        @Override
        void accumulate(int[] groups, int[] sel, int n, AggregateInput in) {
            double[] v = in.doubles();
            double[] s = sums;
            long[] c = counts;
            for (int k = 0; k < n; k++) {
                int r = sel[k];
                int g = groups[r];
                s[g] += v[r];
                c[g]++;
            }
        }

        @Override
        void write(FieldVector out, int from, int count) {
            for (int i = 0; i < count; i++) {
                int g = from + i;
                if (counts[g] == 0) {
                    out.setNull(i);
                } else {
                    ArrowBuffers.setDouble(out, i, average ? sums[g] / counts[g] : sums[g]);
                }
            }
        }
    }

    /** VAR_SAMP, VAR_POP, STDDEV_SAMP, STDDEV_POP: Welford's streaming mean and sum of squares. */
    static final class Variance extends Accumulator {
        private final AggregateKind kind;
        private long[] counts = new long[0];
        private double[] means = new double[0];
        private double[] m2 = new double[0];

        Variance(HeapReservation memory, AggregateKind kind) {
            super(memory);
            this.kind = kind;
        }

        @Override
        void grow(int oldCapacity, int newCapacity) {
            counts = memory.grow(counts, newCapacity);
            means = memory.grow(means, newCapacity);
            m2 = memory.grow(m2, newCapacity);
        }

        @Override
        void accumulate(int[] groups, int[] sel, int n, AggregateInput in) {
            double[] v = in.doubles();
            long[] c = counts;
            double[] mean = means;
            double[] sq = m2;
            for (int k = 0; k < n; k++) {
                int r = sel[k];
                int g = groups[r];
                double x = v[r];
                long cnt = ++c[g];
                double delta = x - mean[g];
                double m = mean[g] + delta / cnt;
                mean[g] = m;
                sq[g] += delta * (x - m);
            }
        }

        @Override
        void write(FieldVector out, int from, int count) {
            boolean sample = kind == AggregateKind.VAR_SAMP || kind == AggregateKind.STDDEV_SAMP;
            boolean root = kind == AggregateKind.STDDEV_SAMP || kind == AggregateKind.STDDEV_POP;
            for (int i = 0; i < count; i++) {
                int g = from + i;
                long c = counts[g];
                if (c == 0 || (sample && c == 1)) {
                    out.setNull(i);
                    continue;
                }
                double var = m2[g] / (sample ? c - 1 : c);
                ArrowBuffers.setDouble(out, i, root ? Math.sqrt(var) : var);
            }
        }
    }

    /** MIN/MAX of long-like values (BOOLEAN, SMALLINT, INTEGER, BIGINT, DATE, TIMESTAMP). */
    static final class LongMinMax extends Accumulator {
        private final boolean max;
        private final Kind kind;
        private long[] values = new long[0];
        private boolean[] seen = new boolean[0];

        LongMinMax(HeapReservation memory, boolean max, Kind kind) {
            super(memory);
            this.max = max;
            this.kind = kind;
        }

        @Override
        void grow(int oldCapacity, int newCapacity) {
            values = memory.grow(values, newCapacity);
            seen = memory.grow(seen, newCapacity);
            Arrays.fill(values, oldCapacity, newCapacity, max ? Long.MIN_VALUE : Long.MAX_VALUE);
        }

        @Override
        void accumulate(int[] groups, int[] sel, int n, AggregateInput in) {
            long[] v = in.longs();
            long[] best = values;
            boolean[] seen = this.seen;
            if (max) {
                for (int k = 0; k < n; k++) {
                    int r = sel[k];
                    int g = groups[r];
                    best[g] = Math.max(best[g], v[r]);
                    seen[g] = true;
                }
            } else {
                for (int k = 0; k < n; k++) {
                    int r = sel[k];
                    int g = groups[r];
                    best[g] = Math.min(best[g], v[r]);
                    seen[g] = true;
                }
            }
        }

        @Override
        void write(FieldVector out, int from, int count) {
            for (int i = 0; i < count; i++) {
                int g = from + i;
                if (seen[g]) {
                    ArrowBuffers.setLong(out, kind, i, values[g]);
                } else {
                    out.setNull(i);
                }
            }
        }
    }

    /** MIN/MAX of REAL/DOUBLE in SQL order: NaN above every number. */
    static final class DoubleMinMax extends Accumulator {
        private final boolean max;
        private double[] values = new double[0];
        private boolean[] seen = new boolean[0];

        DoubleMinMax(HeapReservation memory, boolean max) {
            super(memory);
            this.max = max;
        }

        @Override
        void grow(int oldCapacity, int newCapacity) {
            values = memory.grow(values, newCapacity);
            seen = memory.grow(seen, newCapacity);
        }

        @Override
        void accumulate(int[] groups, int[] sel, int n, AggregateInput in) {
            double[] v = in.doubles();
            double[] best = values;
            boolean[] seen = this.seen;
            for (int k = 0; k < n; k++) {
                int r = sel[k];
                int g = groups[r];
                double x = v[r];
                if (!seen[g]) {
                    best[g] = x;
                    seen[g] = true;
                } else {
                    double b = best[g];
                    // Double.compare orders NaN last, as SQL does; -0.0 and 0.0 keep the first seen
                    int c = (x == b) ? 0 : Double.compare(x, b);
                    if (max ? c > 0 : c < 0) {
                        best[g] = x;
                    }
                }
            }
        }

        @Override
        void write(FieldVector out, int from, int count) {
            for (int i = 0; i < count; i++) {
                int g = from + i;
                if (seen[g]) {
                    ArrowBuffers.setDouble(out, i, values[g]);
                } else {
                    out.setNull(i);
                }
            }
        }
    }

    /** MIN/MAX of DECIMAL: 128-bit comparison of the unscaled values. */
    static final class DecimalMinMax extends Accumulator {
        private final boolean max;
        private long[] hi = new long[0];
        private long[] lo = new long[0];
        private boolean[] seen = new boolean[0];

        DecimalMinMax(HeapReservation memory, boolean max) {
            super(memory);
            this.max = max;
        }

        @Override
        void grow(int oldCapacity, int newCapacity) {
            hi = memory.grow(hi, newCapacity);
            lo = memory.grow(lo, newCapacity);
            seen = memory.grow(seen, newCapacity);
        }

        @Override
        void accumulate(int[] groups, int[] sel, int n, AggregateInput in) {
            long[] vh = in.hi();
            long[] vl = in.lo();
            for (int k = 0; k < n; k++) {
                int r = sel[k];
                int g = groups[r];
                if (!seen[g]) {
                    seen[g] = true;
                } else {
                    int c = Int128.compare(vh[r], vl[r], hi[g], lo[g]);
                    if (max ? c <= 0 : c >= 0) {
                        continue;
                    }
                }
                hi[g] = vh[r];
                lo[g] = vl[r];
            }
        }

        @Override
        void write(FieldVector out, int from, int count) {
            for (int i = 0; i < count; i++) {
                int g = from + i;
                if (seen[g]) {
                    ArrowBuffers.setDecimal(out, i, hi[g], lo[g]);
                } else {
                    out.setNull(i);
                }
            }
        }
    }

    /**
     * MIN/MAX of VARCHAR/BYTEA by unsigned byte order (UTF-8 byte order is code point order).
     * Compares in place against the vector and copies a value only when it becomes the group's
     * best.
     */
    static final class BytesMinMax extends Accumulator {
        private final boolean max;
        private byte[][] values = new byte[0][];

        BytesMinMax(HeapReservation memory, boolean max) {
            super(memory);
            this.max = max;
        }

        @Override
        void grow(int oldCapacity, int newCapacity) {
            values = memory.grow(values, newCapacity);
        }

        @Override
        void accumulate(int[] groups, int[] sel, int n, AggregateInput in) {
            BaseVariableWidthVector v = (BaseVariableWidthVector) in.vector;
            long offsets = v.getOffsetBufferAddress();
            long data = v.getDataBufferAddress();
            byte[][] best = values;
            for (int k = 0; k < n; k++) {
                int r = sel[k];
                int g = groups[r];
                int start = MemoryUtil.getInt(offsets + 4L * r);
                int len = MemoryUtil.getInt(offsets + 4L * r + 4) - start;
                byte[] b = best[g];
                if (b != null) {
                    int c = compareUnsigned(data + start, len, b);
                    if (max ? c <= 0 : c >= 0) {
                        continue;
                    }
                    memory.release(b.length + 16L);
                }
                memory.add(len + 16L);
                byte[] copy = new byte[len];
                MemoryUtil.copyFromMemory(data + start, copy, 0, len);
                best[g] = copy;
            }
        }

        static int compareUnsigned(long address, int length, byte[] b) {
            int n = Math.min(length, b.length);
            int i = 0;
            for (; i + 8 <= n; i += 8) {
                long x = Long.reverseBytes(MemoryUtil.getLong(address + i));
                long y = Long.reverseBytes(MemoryUtil.getLong(b, i));
                if (x != y) {
                    return Long.compareUnsigned(x, y);
                }
            }
            for (; i < n; i++) {
                int x = MemoryUtil.getByte(address + i) & 0xFF;
                int y = b[i] & 0xFF;
                if (x != y) {
                    return x - y;
                }
            }
            return Integer.compare(length, b.length);
        }

        @Override
        void write(FieldVector out, int from, int count) {
            BaseVariableWidthVector v = (BaseVariableWidthVector) out;
            for (int i = 0; i < count; i++) {
                byte[] b = values[from + i];
                if (b == null) {
                    v.setNull(i);
                } else {
                    v.setSafe(i, b, 0, b.length);
                }
            }
        }
    }

    /** BOOL_AND / BOOL_OR; state 0 = no value yet, 1 = false, 2 = true. */
    static final class BoolAndOr extends Accumulator {
        private final boolean and;
        private byte[] state = new byte[0];

        BoolAndOr(HeapReservation memory, boolean and) {
            super(memory);
            this.and = and;
        }

        @Override
        void grow(int oldCapacity, int newCapacity) {
            state = memory.grow(state, newCapacity);
        }

        @Override
        void accumulate(int[] groups, int[] sel, int n, AggregateInput in) {
            long[] v = in.longs();
            byte[] s = state;
            for (int k = 0; k < n; k++) {
                int r = sel[k];
                int g = groups[r];
                byte x = (byte) (v[r] + 1);
                // AND keeps the smaller of (false=1, true=2), OR the larger; 0 means unset
                s[g] = s[g] == 0 ? x : (byte) (and ? Math.min(s[g], x) : Math.max(s[g], x));
            }
        }

        @Override
        void write(FieldVector out, int from, int count) {
            BitVector v = (BitVector) out;
            for (int i = 0; i < count; i++) {
                byte s = state[from + i];
                if (s == 0) {
                    v.setNull(i);
                } else {
                    v.set(i, s - 1);
                }
            }
        }
    }

    /**
     * Calcite's SINGLE_VALUE: remembers the group's one row (NULL included) and fails with 21000
     * on a second. Scalar subqueries give it a row or two per group, so it keeps canonical Java
     * values rather than typed arrays.
     */
    static final class SingleValue extends Accumulator {
        private Object[] values = new Object[0];
        private boolean[] seen = new boolean[0];

        SingleValue(HeapReservation memory) {
            super(memory);
        }

        @Override
        void grow(int oldCapacity, int newCapacity) {
            values = memory.grow(values, newCapacity);
            seen = memory.grow(seen, newCapacity);
        }

        @Override
        void accumulate(int[] groups, int[] sel, int n, AggregateInput in) {
            for (int k = 0; k < n; k++) {
                int r = sel[k];
                int g = groups[r];
                if (seen[g]) {
                    throw new DuetException(SqlState.CARDINALITY_VIOLATION,
                            "more than one row returned by a subquery used as an expression");
                }
                seen[g] = true;
                Object value = Batches.get(in.vector, r);
                if (value != null) {
                    memory.add(value instanceof byte[] b ? b.length + 16L
                            : value instanceof String s ? 2L * s.length() + 40 : 24);
                }
                values[g] = value;
            }
        }

        @Override
        void write(FieldVector out, int from, int count) {
            for (int i = 0; i < count; i++) {
                Batches.set(out, i, values[from + i]);
            }
        }
    }
}
