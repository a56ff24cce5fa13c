package dev.duet.planner.exec.expr;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * A signed 128-bit integer register ({@link #hi}, {@link #lo}): the unscaled value of a DECIMAL,
 * as Arrow's Decimal128 stores it (little-endian two's complement). DECIMAL values stay below
 * 10^38 &lt; 2^127 in magnitude. Mutable so that the decimal kernels allocate nothing per row; the
 * {@code BigDecimal} conversions are for the rare paths (formatting, division results). The
 * public static methods serve code that keeps 128-bit values in (hi, lo) arrays (the exact
 * SUM/AVG/MIN/MAX accumulators).
 */
public final class Int128 {
    /** 10^i for i in 0..38 as 128-bit values. */
    static final long[] POW10_HI = new long[39];
    static final long[] POW10_LO = new long[39];
    /** 10^i for i in 0..18. */
    static final long[] POW10 = new long[19];
    /** 10^i for i in 0..22, exact as doubles. */
    static final double[] POW10_DOUBLE = new double[23];

    static {
        BigInteger p = BigInteger.ONE;
        for (int i = 0; i <= 38; i++) {
            POW10_HI[i] = p.shiftRight(64).longValue();
            POW10_LO[i] = p.longValue();
            if (i <= 18) {
                POW10[i] = p.longValue();
            }
            if (i <= 22) {
                POW10_DOUBLE[i] = p.doubleValue();
            }
            p = p.multiply(BigInteger.TEN);
        }
    }

    private static final long MASK32 = 0xFFFF_FFFFL;

    long hi;
    long lo;

    void set(long hi, long lo) {
        this.hi = hi;
        this.lo = lo;
    }

    void set(long value) {
        this.hi = value >> 63;
        this.lo = value;
    }

    void load(long address) {
        lo = MemoryUtil.getLong(address);
        hi = MemoryUtil.getLong(address + 8);
    }

    void store(long address) {
        MemoryUtil.putLong(address, lo);
        MemoryUtil.putLong(address + 8, hi);
    }

    /** Whether the value fits a {@code long} (then {@link #lo} is it). */
    boolean fitsLong() {
        return hi == (lo >> 63);
    }

    int signum() {
        return hi < 0 ? -1 : (hi == 0 && lo == 0 ? 0 : 1);
    }

    void negate() {
        long l = -lo;
        hi = ~hi + (lo == 0 ? 1 : 0);
        lo = l;
    }

    /** {@code this += b}; false on 128-bit overflow. */
    boolean add(long bHi, long bLo) {
        long l = lo + bLo;
        long h = hi + bHi + (Long.compareUnsigned(l, lo) < 0 ? 1 : 0);
        boolean overflow = ((hi ^ h) & (bHi ^ h)) < 0;
        hi = h;
        lo = l;
        return !overflow;
    }

    /** {@code this -= b}; false on 128-bit overflow. */
    boolean subtract(long bHi, long bLo) {
        long nl = -bLo;
        long nh = ~bHi + (bLo == 0 ? 1 : 0);
        return add(nh, nl);
    }

    /** Signed comparison of (aHi, aLo) with (bHi, bLo). */
    public static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compare(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    /** Whether {@code |this| < 10^digits}: the value fits a DECIMAL of that precision. */
    boolean fitsPrecision(int digits) {
        return fitsPrecision(hi, lo, digits);
    }

    /** Whether {@code |(hi, lo)| < 10^digits}: the value fits a DECIMAL of that precision. */
    public static boolean fitsPrecision(long hi, long lo, int digits) {
        long h = hi;
        long l = lo;
        if (h < 0) {
            l = -lo;
            h = ~hi + (lo == 0 ? 1 : 0);
        }
        int c = Long.compareUnsigned(h, POW10_HI[digits]);
        return c < 0 || (c == 0 && Long.compareUnsigned(l, POW10_LO[digits]) < 0);
    }

    /** High 64 bits of the unsigned 128-bit product of {@code a} and {@code b}. */
    static long multiplyHighUnsigned(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    /** {@code this *= b}; false if the magnitude of the product reaches 2^127. */
    boolean multiply(long bHi, long bLo) {
        boolean negative = (hi ^ bHi) < 0;
        long ah = hi;
        long al = lo;
        if (ah < 0) {
            al = -lo;
            ah = ~hi + (lo == 0 ? 1 : 0);
        }
        long bh = bHi;
        long bl = bLo;
        if (bh < 0) {
            bl = -bLo;
            bh = ~bHi + (bLo == 0 ? 1 : 0);
        }
        long rh;
        long rl;
        if (ah == 0 && bh == 0) {
            rl = al * bl;
            rh = multiplyHighUnsigned(al, bl);
        } else if (ah != 0 && bh != 0) {
            return false;
        } else {
            long big = ah != 0 ? ah : bh;
            long bigLo = ah != 0 ? al : bl;
            long small = ah != 0 ? bl : al;
            if (multiplyHighUnsigned(big, small) != 0) {
                return false;
            }
            long cross = big * small;
            rl = bigLo * small;
            rh = cross + multiplyHighUnsigned(bigLo, small);
            if (Long.compareUnsigned(rh, cross) < 0) {
                return false;
            }
        }
        if (rh < 0) {
            return false;
        }
        hi = rh;
        lo = rl;
        if (negative) {
            negate();
        }
        return true;
    }

    /** {@code this *= 10^k}; false on overflow. */
    boolean scaleUp(int k) {
        if (k == 0) {
            return true;
        }
        if (k > 38) {
            return signum() == 0;
        }
        return multiply(POW10_HI[k], POW10_LO[k]);
    }

    /** How {@link #scaleDown} rounds. */
    enum Rounding { HALF_UP, FLOOR, CEILING, DOWN }

    /** {@code this = this / 10^k}, rounded; {@code k >= 0}. */
    void scaleDown(int k, Rounding rounding) {
        if (k == 0) {
            return;
        }
        if (k > 38) {
            int sign = signum();
            set(rounding == Rounding.FLOOR && sign < 0 ? -1 : rounding == Rounding.CEILING && sign > 0 ? 1 : 0);
            return;
        }
        boolean negative = hi < 0;
        if (fitsLong() && k <= 18) {
            long v = lo;
            long d = POW10[k];
            long q = v / d;
            long r = v % d;
            if (r != 0) {
                q += switch (rounding) {
                    case HALF_UP -> Math.abs(r) >= d - Math.abs(r) ? (negative ? -1 : 1) : 0;
                    case FLOOR -> negative ? -1 : 0;
                    case CEILING -> negative ? 0 : 1;
                    case DOWN -> 0;
                };
            }
            set(q);
            return;
        }
        if (negative) {
            negate();
        }
        boolean inexact = false;
        int left = k;
        while (left > 9) {
            inexact |= divideSmall(POW10[9]) != 0;
            left -= 9;
        }
        long d = POW10[left];
        long r = divideSmall(d);
        boolean up = switch (rounding) {
            case HALF_UP -> r >= d - r; // 2r >= d; for k > 9 only the last remainder decides (10^left is even)
            case FLOOR -> negative && (r != 0 || inexact);
            case CEILING -> !negative && (r != 0 || inexact);
            case DOWN -> false;
        };
        if (up) {
            add(0, 1);
        }
        if (negative) {
            negate();
        }
    }

    /** Divides the (non-negative) value by {@code d < 2^31} in 32-bit limbs; returns the remainder. */
    private long divideSmall(long d) {
        long l3 = hi >>> 32;
        long q3 = l3 / d;
        long r = l3 % d;
        long t = (r << 32) | (hi & MASK32);
        long q2 = t / d;
        r = t % d;
        t = (r << 32) | (lo >>> 32);
        long q1 = t / d;
        r = t % d;
        t = (r << 32) | (lo & MASK32);
        long q0 = t / d;
        r = t % d;
        hi = (q3 << 32) | q2;
        lo = (q1 << 32) | q0;
        return r;
    }

    /** (hi, lo) as a double, rounded at most twice (for averages, not for exact results). */
    public static double toDouble(long hi, long lo) {
        if (hi == (lo >> 63)) {
            return lo;
        }
        // hi * 2^64 + unsigned(lo)
        double ulo = (double) (lo >>> 1) * 2.0 + (lo & 1);
        return hi * 0x1p64 + ulo;
    }

    /** The value divided by 10^scale, correctly rounded to a double. */
    double toDouble(int scale) {
        if (fitsLong() && lo > -(1L << 53) && lo < (1L << 53) && scale < POW10_DOUBLE.length) {
            return lo / POW10_DOUBLE[scale];
        }
        return toBigDecimal(scale).doubleValue();
    }

    BigInteger toBigInteger() {
        if (fitsLong()) {
            return BigInteger.valueOf(lo);
        }
        BigInteger low = BigInteger.valueOf(lo & Long.MAX_VALUE);
        if (lo < 0) {
            low = low.setBit(63);
        }
        return BigInteger.valueOf(hi).shiftLeft(64).add(low);
    }

    BigDecimal toBigDecimal(int scale) {
        return new BigDecimal(toBigInteger(), scale);
    }

    /** Loads an unscaled value that has at most 38 digits. */
    void set(BigInteger value) {
        hi = value.shiftRight(64).longValue();
        lo = value.longValue();
    }
}
