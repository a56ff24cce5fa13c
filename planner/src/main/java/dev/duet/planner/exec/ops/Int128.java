package dev.duet.planner.exec.ops;

import java.math.BigInteger;

/**
 * Signed 128-bit integers as (hi, lo) long pairs: the representation of Arrow's DECIMAL(38)
 * values and of exact SUM/AVG accumulators, kept in primitive arrays without allocating per row.
 * (The accumulators inline the addition with its carry and overflow check.)
 */
final class Int128 {
    /** 10^i as (hi, lo), for i in [0, 38]. */
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

}
