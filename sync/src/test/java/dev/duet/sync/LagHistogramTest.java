package dev.duet.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LagHistogramTest {
    /**
     * A snapshot taken while another thread records holds in its buckets every value its total
     * counts, so that an interval from it never counts those values again.
     */
    @Test
    void aSnapshotTakenWhileRecordingHoldsEveryCountedValueInItsBuckets() throws Exception {
        LagHistogram h = new LagHistogram();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = new Thread(() -> {
            while (!stop.get()) {
                h.record(1_000);
            }
        }, "recorder");
        writer.start();
        try {
            for (int i = 0; i < 50_000; i++) {
                LagHistogram.Snapshot s = h.snapshot();
                assertTrue(s.bucketed() >= s.count(), "snapshot " + i + ": " + s.bucketed() + " values in its buckets, " + s.count() + " counted");
            }
        } finally {
            stop.set(true);
            writer.join();
        }
    }

    @Test
    void everyValueFallsIntoTheBucketWhoseBoundsHoldIt() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            long v = i < 1000 ? i : random.nextLong() >>> (1 + random.nextInt(63));
            int b = LagHistogram.bucket(v);
            assertTrue(v <= LagHistogram.upperBound(b), v + " above its bucket " + b);
            assertTrue(b == 0 || v > LagHistogram.upperBound(b - 1), v + " belongs to a lower bucket than " + b);
            assertTrue(LagHistogram.upperBound(b) - v <= v / LagHistogram.SUB, v + ": bucket " + b + " too wide");
        }
        assertEquals(LagHistogram.BUCKETS - 1, LagHistogram.bucket(Long.MAX_VALUE));
    }

    @Test
    void percentilesAreWithinOneBucketOfTheExactOnes() {
        LagHistogram h = new LagHistogram();
        Random random = new Random(11);
        long[] values = new long[20_000];
        for (int i = 0; i < values.length; i++) {
            // mostly milliseconds, a tail of hundreds of milliseconds
            values[i] = random.nextInt(100) == 0 ? 100_000_000L + random.nextInt(900_000_000) : 1_000_000L + random.nextInt(4_000_000);
            h.record(values[i]);
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        LagHistogram.Snapshot s = h.snapshot();
        assertEquals(values.length, s.count());
        assertEquals(sorted[sorted.length - 1], s.maxNanos());
        assertEquals(Arrays.stream(values).average().orElseThrow(), s.meanNanos(), 1e-3);
        for (double q : new double[] {0, 0.5, 0.9, 0.99, 0.999, 1}) {
            long exact = sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
            long p = s.percentileNanos(q);
            assertTrue(p >= exact && p <= exact + exact / LagHistogram.SUB, "q " + q + ": " + p + " vs exact " + exact);
        }
        assertThrows(IllegalArgumentException.class, () -> s.percentileNanos(1.5));
    }

    @Test
    void anIntervalHoldsOnlyWhatWasRecordedInIt() {
        LagHistogram h = new LagHistogram();
        h.record(-5); // counts as 0
        for (int i = 0; i < 100; i++) {
            h.record(500_000_000L);
        }
        LagHistogram.Snapshot start = h.snapshot();
        for (int i = 1; i <= 1000; i++) {
            h.record(i * 1000L);
        }
        LagHistogram.Snapshot interval = h.snapshot().since(start);
        assertEquals(1000, interval.count());
        assertEquals(500_500, interval.meanNanos(), 1e-9);
        long max = interval.maxNanos();
        assertTrue(max >= 1_000_000 && max <= 1_000_000 + 1_000_000 / LagHistogram.SUB, "interval max " + max);
        long p50 = interval.percentileNanos(0.5);
        assertTrue(p50 >= 500_000 && p50 <= 500_000 + 500_000 / LagHistogram.SUB, "interval p50 " + p50);
        assertEquals(0, h.snapshot().since(h.snapshot()).count());
        assertEquals(0, new LagHistogram().snapshot().percentileNanos(0.99));
        assertEquals(0, start.percentileNanos(0));
    }
}
