package dev.duet.planner.exec.ops;

import java.math.BigInteger;

/**
 * Signed 128-bit integer arithmetic on (hi, lo) long pairs: the representation of Arrow's
 * DECIMAL(38) values and of exact SUM/AVG accumulators, kept in primitive arrays without
 * allocating per row.
 */
final class Int128 {
    /** 10^38 - 1, the largest DECIMAL(38) unscaled value, as (hi, lo). */
    private static final long[][] POW10 = new long[39][];

    static {
        BigInteger ten = BigInteger.TEN;
        for (int i = 0; i <= 38; i++) {
            BigInteger p = ten.pow(i);
            POW10[i] = new long[] {p.shiftRight(64).longValue(), p.longValue()};
        }
    }

    private Int128() {
    }

    /** hi word of (ahi, alo) + (bhi, blo); the caller computes the low word as {@code alo + blo}. */
    static long addHigh(long ahi, long alo, long bhi, long blo) {
        long lo = alo + blo;
        long carry = Long.compareUnsigned(lo, alo) < 0 ? 1 : 0;
        return ahi + bhi + carry;
    }

    /** True if adding (bhi, ...) to (ahi, ...) with result high word {@code rhi} overflowed 128 bits. */
    static boolean overflowed(long ahi, long bhi, long rhi) {
        return ((ahi ^ rhi) & (bhi ^ rhi)) < 0;
    }

    /** Signed comparison. */
    static int compare(long ahi, long alo, long bhi, long blo) {
        if (ahi != bhi) {
            return Long.compare(ahi, bhi);
        }
        return Long.compareUnsigned(alo, blo);
    }

    /** True if |value| fits in {@code precision} decimal digits. */
    static boolean fitsPrecision(long hi, long lo, int precision) {
        long[] limit = POW10[precision];
        if (hi < 0) {
            // magnitude of a negative value: -(hi, lo)
            long nlo = -lo;
            long nhi = ~hi + (lo == 0 ? 1 : 0);
            if (nhi < 0) {
                return false; // -2^127
            }
            hi = nhi;
            lo = nlo;
        }
        return compare(hi, lo, limit[0], limit[1]) < 0;
    }

    static double toDouble(long hi, long lo) {
        if (hi == (lo >> 63)) {
            return lo;
        }
        // hi * 2^64 + unsigned(lo)
        double ulo = (double) (lo >>> 1) * 2.0 + (lo & 1);
        return hi * 0x1p64 + ulo;
    }

    static BigInteger toBigInteger(long hi, long lo) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return new BigInteger(b);
    }
}
