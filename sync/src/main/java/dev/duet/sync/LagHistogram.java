package dev.duet.sync;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Durations (nanoseconds) counted in fixed log-linear buckets: {@value #SUB} buckets per power of
 * two, so a percentile read from it is at most 1/{@value #SUB} (6.25 %) above the true value.
 * Recording is a few atomic increments into arrays allocated once: it allocates nothing, so the
 * sync thread can record every commit it applies. Counts accumulate from creation; a reader who
 * wants an interval (a benchmark iteration) takes a {@link #snapshot()} at its start and at its
 * end and asks the later one for {@link Snapshot#since} the earlier.
 *
 * <p>Thread safety: one or more writers, any readers; each count is an atomic cell. A value's
 * bucket is counted before the total, and a snapshot reads the total before the buckets, so its
 * buckets hold every value its total counts: an interval ({@link Snapshot#since}) from a
 * snapshot whose total counted a value never holds that value again. A value recorded meanwhile
 * may be in the buckets but not yet in the total or the sum, which only blurs that one value.
 */
public final class LagHistogram {
    private static final int SUB_BITS = 4;
    /** Buckets per power of two. */
    static final int SUB = 1 << SUB_BITS;
    /** Values below SUB get a bucket each; every higher power of two 2^e (e = SUB_BITS .. 62) gets SUB. */
    static final int BUCKETS = (63 - SUB_BITS + 1) * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong sum = new AtomicLong();
    private final AtomicLong max = new AtomicLong();

    /** Counts one duration of {@code nanos} (negative values, from a clock that went back, count as 0). */
    public void record(long nanos) {
        long v = Math.max(0, nanos);
        counts.incrementAndGet(bucket(v));
        count.incrementAndGet();
        sum.addAndGet(v);
        long m = max.get();
        while (v > m && !max.compareAndSet(m, v)) {
            m = max.get();
        }
    }

    /** Values recorded since creation. */
    public long count() {
        return count.get();
    }

    /** Their sum, in nanoseconds. */
    public long totalNanos() {
        return sum.get();
    }

    /** Everything recorded since creation. */
    public Snapshot snapshot() {
        // the count before the buckets: record() bumps a value's bucket before the count, so every
        // value this count includes is in the buckets read after it
        long n = count.get();
        long[] c = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            c[i] = counts.get(i);
        }
        return new Snapshot(c, n, sum.get(), max.get());
    }

    static int bucket(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int e = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) (v >>> (e - SUB_BITS)) & (SUB - 1);
        return (e - SUB_BITS + 1) * SUB + sub;
    }

    /** The largest value that falls into bucket {@code i}. */
    static long upperBound(int i) {
        if (i < SUB) {
            return i;
        }
        int e = i / SUB + SUB_BITS - 1;
        long width = 1L << (e - SUB_BITS);
        long low = (SUB + (long) (i % SUB)) << (e - SUB_BITS);
        return low + (width - 1);
    }

    /**
     * Counts frozen at one moment (or the difference of two, {@link #since}). Percentiles are the
     * upper bound of the bucket that holds them, never above the largest value recorded.
     */
    public static final class Snapshot {
        private final long[] counts;
        private final long count;
        private final long sum;
        /** The largest value recorded, exact for a snapshot; for a difference, an upper bound (see {@link #maxNanos}). */
        private final long max;

        private Snapshot(long[] counts, long count, long sum, long max) {
            this.counts = counts;
            this.count = count;
            this.sum = sum;
            this.max = max;
        }

        /** What was recorded after {@code earlier} (a snapshot of the same histogram) and up to this one. */
        public Snapshot since(Snapshot earlier) {
            long[] c = new long[BUCKETS];
            int top = -1;
            for (int i = 0; i < BUCKETS; i++) {
                c[i] = counts[i] - earlier.counts[i];
                if (c[i] > 0) {
                    top = i;
                }
            }
            long m = top < 0 ? 0 : Math.min(max, upperBound(top));
            return new Snapshot(c, count - earlier.count, sum - earlier.sum, m);
        }

        /** Values counted. */
        public long count() {
            return count;
        }

        /** Values in the buckets: at least {@link #count} for a snapshot (see the class's thread safety). */
        long bucketed() {
            long n = 0;
            for (long c : counts) {
                n += c;
            }
            return n;
        }

        /** Their mean, in nanoseconds (0 if none). */
        public double meanNanos() {
            return count == 0 ? 0 : (double) sum / count;
        }

        /**
         * The largest value: exact for {@link LagHistogram#snapshot()}; for a difference, the upper
         * bound of the highest bucket used in the interval (at most 6.25 % above the true value).
         */
        public long maxNanos() {
            return max;
        }

        /** The smallest bucket bound at or below which a fraction {@code q} (0..1) of the values lie; 0 if none. */
        public long percentileNanos(double q) {
            if (q < 0 || q > 1) {
                throw new IllegalArgumentException("quantile outside 0..1: " + q);
            }
            if (count == 0) {
                return 0;
            }
            long rank = Math.max(1, (long) Math.ceil(q * count));
            long seen = 0;
            for (int i = 0; i < BUCKETS; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return Math.min(upperBound(i), max);
                }
            }
            return max;
        }
    }
}
