package dev.duet.planner.exec.expr;

import org.apache.arrow.memory.util.MemoryUtil;

/**
 * Arrow bitmaps (validity and boolean values: bit {@code i} is bit {@code i % 8} of byte
 * {@code i / 8}) read and written at raw addresses. Callers guarantee that the buffers behind the
 * addresses hold the bits touched: every bitmap an evaluator writes has room for a whole number of
 * 64-bit words ({@link ComputedEvaluator#prepare}), while input bitmaps are read byte-wise at the
 * tail.
 */
public final class Bitmaps {
    private Bitmaps() {
    }

    /** Bytes that hold {@code count} bits. */
    public static int bytes(int count) {
        return (count + 7) >>> 3;
    }

    public static boolean get(long address, int index) {
        return ((MemoryUtil.getByte(address + (index >>> 3)) >> (index & 7)) & 1) != 0;
    }

    public static void set(long address, int index) {
        long at = address + (index >>> 3);
        MemoryUtil.putByte(at, (byte) (MemoryUtil.getByte(at) | (1 << (index & 7))));
    }

    public static void clear(long address, int index) {
        long at = address + (index >>> 3);
        MemoryUtil.putByte(at, (byte) (MemoryUtil.getByte(at) & ~(1 << (index & 7))));
    }

    public static void put(long address, int index, boolean value) {
        long at = address + (index >>> 3);
        int mask = 1 << (index & 7);
        byte b = MemoryUtil.getByte(at);
        MemoryUtil.putByte(at, (byte) (value ? b | mask : b & ~mask));
    }

    /**
     * Word {@code w} (bits {@code 64w .. 64w+63}) of a bitmap of {@code count} bits; bits at or
     * beyond {@code count} are unspecified. Reads whole words only where the bitmap has them.
     */
    public static long word(long address, int w, int count) {
        int byteStart = w << 3;
        int byteEnd = bytes(count);
        if (byteStart + 8 <= byteEnd) {
            return MemoryUtil.getLong(address + byteStart);
        }
        long v = 0;
        for (int b = byteStart; b < byteEnd; b++) {
            v |= (MemoryUtil.getByte(address + b) & 0xFFL) << ((b - byteStart) << 3);
        }
        return v;
    }

    /** Number of 64-bit words covering {@code count} bits. */
    public static int words(int count) {
        return (count + 63) >>> 6;
    }

    /** Sets bits {@code 0..count)} (whole words: the destination has room for them). */
    public static void setAll(long address, int count) {
        int words = words(count);
        for (int w = 0; w < words; w++) {
            MemoryUtil.putLong(address + ((long) w << 3), -1L);
        }
    }

    /** Clears bits {@code 0..count)} (whole words). */
    public static void clearAll(long address, int count) {
        MemoryUtil.setMemory(address, (long) words(count) << 3, (byte) 0);
    }

    /** {@code dst = src} for bits {@code 0..count)}; {@code dst} has whole words. */
    public static void copy(long src, long dst, int count) {
        int words = words(count);
        for (int w = 0; w < words; w++) {
            MemoryUtil.putLong(dst + ((long) w << 3), word(src, w, count));
        }
    }

    /** {@code dst = a & b} for bits {@code 0..count)}; {@code dst} has whole words. */
    public static void and(long a, long b, long dst, int count) {
        int words = words(count);
        for (int w = 0; w < words; w++) {
            MemoryUtil.putLong(dst + ((long) w << 3), word(a, w, count) & word(b, w, count));
        }
    }

    /** Whether all of bits {@code 0..count)} are set. */
    public static boolean allSet(long address, int count) {
        int full = count >>> 6;
        for (int w = 0; w < full; w++) {
            if (MemoryUtil.getLong(address + ((long) w << 3)) != -1L) {
                return false;
            }
        }
        int rest = count & 63;
        if (rest != 0) {
            long mask = (1L << rest) - 1;
            return (word(address, full, count) & mask) == mask;
        }
        return true;
    }

    /**
     * Appends the rows of the set bits of {@code bits} (bit {@code k} is position {@code base + k})
     * to {@code out} from index {@code n} on: the position itself, or {@code rows[position]} when
     * {@code rows} is not null. Returns the new length. {@code out} may be {@code rows} when the
     * positions are those of {@code rows}: an entry is written at or below the one it is read from.
     */
    public static int appendSetBits(long bits, int base, int[] rows, int[] out, int n) {
        while (bits != 0) {
            int i = base + Long.numberOfTrailingZeros(bits);
            out[n++] = rows == null ? i : rows[i];
            bits &= bits - 1;
        }
        return n;
    }

    /**
     * The rows whose value is TRUE in a boolean result over {@code count} positions (validity and
     * value bitmaps): position {@code i} is row {@code rows[i]}, or {@code i} when {@code rows}
     * is null. Writes them to {@code out} in order (it may be {@code rows}) and returns how many.
     */
    public static int selectTrue(long validity, long values, int count, int[] rows, int[] out) {
        int n = 0;
        int words = words(count);
        for (int w = 0; w < words; w++) {
            long bits = word(validity, w, count) & word(values, w, count);
            int base = w << 6;
            if (count - base < 64) {
                bits &= (1L << (count - base)) - 1;
            }
            n = appendSetBits(bits, base, rows, out, n);
        }
        return n;
    }

    /** Keeps the rows of {@code rows[0..n)} whose bit is set in {@code bitmap}, in order, without a branch per row; returns how many. */
    public static int keepSet(long bitmap, int[] rows, int n) {
        int m = 0;
        for (int j = 0; j < n; j++) {
            int r = rows[j];
            rows[m] = r;
            m += (MemoryUtil.getByte(bitmap + (r >>> 3)) >> (r & 7)) & 1;
        }
        return m;
    }
}
