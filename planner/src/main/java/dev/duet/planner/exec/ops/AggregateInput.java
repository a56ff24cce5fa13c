package dev.duet.planner.exec.ops;

import dev.duet.core.exec.HeapReservation;
import dev.duet.core.types.DataType;
import org.apache.arrow.vector.FieldVector;

/**
 * One input column of a batch as the accumulators read it: the vector, and its values decoded a
 * column at a time into primitive arrays on first use (longs, doubles or 128-bit integers), so
 * that several aggregates over one column decode it once and the accumulators' loops run over
 * plain arrays. The arrays are reused from batch to batch.
 */
final class AggregateInput {
    final DataType type;
    private final HeapReservation memory;
    FieldVector vector;
    int rows;
    private long[] longs = new long[0];
    private double[] doubles = new double[0];
    private long[] hi = new long[0];
    private long[] lo = new long[0];
    private boolean longsReady;
    private boolean doublesReady;
    private boolean int128Ready;
    private boolean lowReady;
    private boolean fitsLong;
    /** Whether no sum of at most {@link #rows} of the values can leave 64 bits (only when {@link #fitsLong}). */
    private boolean sumsFitLong;

    /**
     * The length of a per-row scratch array for batches of {@code rows} rows: the next power of
     * two, so that batches of slightly varying sizes (a filter's output) do not regrow (and copy)
     * the arrays at every batch.
     */
    static int scratchSize(int rows) {
        return rows <= 64 ? 64 : Integer.highestOneBit(rows - 1) << 1;
    }

    AggregateInput(DataType type, HeapReservation memory) {
        this.type = type;
        this.memory = memory;
    }

    /** Points at the column of a new batch. */
    void reset(FieldVector vector, int rows) {
        this.vector = vector;
        this.rows = rows;
        longsReady = false;
        doublesReady = false;
        int128Ready = false;
        lowReady = false;
    }

    /**
     * Whether every value of this exact numeric column fits 64 bits (always for integers; for
     * DECIMAL, when each value's high word only extends the sign of its low word), so that
     * {@link #narrow()} holds them all. TPC-H's prices and quantities always do.
     */
    boolean fitsLong() {
        if (type.kind() != DataType.Kind.DECIMAL) {
            return true;
        }
        if (!lowReady) {
            if (lo.length < rows) {
                hi = memory.grow(hi, scratchSize(rows));
                lo = memory.grow(lo, scratchSize(rows));
            }
            int bits = ArrowBuffers.readLowWords(vector, rows, lo);
            fitsLong = bits >= 0;
            // rows values in [-2^bits, 2^bits): a sum lies in [-2^(bits + log2 rows), ...)
            sumsFitLong = fitsLong && bits + (32 - Integer.numberOfLeadingZeros(rows)) < 63;
            lowReady = true;
        }
        return fitsLong;
    }

    /**
     * Whether {@link #fitsLong()} and the values are small enough that a sum of any of them (at
     * most one per row of the batch) fits 64 bits too, so that it needs no overflow test: TPC-H's
     * prices (below 2^24 cents) in batches of up to 2^16 rows are far from it.
     */
    boolean sumsFitLong() {
        return type.kind() == DataType.Kind.DECIMAL && fitsLong() && sumsFitLong;
    }

    /** The values as longs (unscaled for DECIMAL) by row; only when {@link #fitsLong()}. */
    long[] narrow() {
        if (type.kind() != DataType.Kind.DECIMAL) {
            return longs();
        }
        if (!fitsLong()) {
            throw new IllegalStateException("DECIMAL values wider than 64 bits read as longs");
        }
        return lo;
    }

    /** Long-like values ({@link ArrowBuffers#isLongLike}) by row. */
    long[] longs() {
        if (!longsReady) {
            if (longs.length < rows) {
                longs = memory.grow(longs, scratchSize(rows));
            }
            ArrowBuffers.readLongs(vector, type.kind(), rows, longs);
            longsReady = true;
        }
        return longs;
    }

    /** Numeric values as doubles by row. */
    double[] doubles() {
        if (!doublesReady) {
            if (doubles.length < rows) {
                doubles = memory.grow(doubles, scratchSize(rows));
            }
            ArrowBuffers.readDoubles(vector, type, rows, doubles);
            doublesReady = true;
        }
        return doubles;
    }

    /** High words of exact numeric values as 128-bit integers (unscaled for DECIMAL). */
    long[] hi() {
        readInt128();
        return hi;
    }

    /** Low words, as {@link #hi()}. */
    long[] lo() {
        readInt128();
        return lo;
    }

    private void readInt128() {
        if (!int128Ready) {
            if (hi.length < rows) {
                hi = memory.grow(hi, scratchSize(rows));
                lo = memory.grow(lo, scratchSize(rows));
            }
            ArrowBuffers.readInt128(vector, type.kind(), rows, hi, lo);
            int128Ready = true;
            lowReady = true;
            fitsLong = false; // not checked: lo is still every low word
            sumsFitLong = false;
        }
    }
}
