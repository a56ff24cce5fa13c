package dev.duet.planner.exec.expr;

import java.nio.charset.StandardCharsets;

/**
 * Values as PostgreSQL's output functions write them, into a reusable byte buffer (ASCII), and
 * the fast paths of reading text: plain integers, {@code YYYY-MM-DD} dates and
 * {@code YYYY-MM-DD HH:MM:SS[.ffffff]} timestamps. Anything the fast paths do not accept goes to
 * {@link dev.duet.core.types.TextValues#parse}, which defines what text Duet accepts.
 */
final class PgText {
    /** Longest text any fixed-width value formats to (a DECIMAL(38,38) with sign and point). */
    static final int MAX_LENGTH = 48;

    private PgText() {
    }

    /** Writes {@code v} in decimal at {@code buf[0..)}; returns the length. */
    static int formatLong(long v, byte[] buf) {
        if (v == Long.MIN_VALUE) {
            byte[] s = "-9223372036854775808".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(s, 0, buf, 0, s.length);
            return s.length;
        }
        int pos = 0;
        if (v < 0) {
            buf[pos++] = '-';
            v = -v;
        }
        return pos + writeDigits(v, buf, pos, 1);
    }

    /** Writes {@code v >= 0} with at least {@code minDigits} digits at {@code buf[pos..)}; returns the digits written. */
    private static int writeDigits(long v, byte[] buf, int pos, int minDigits) {
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        digits = Math.max(digits, minDigits);
        for (int i = pos + digits - 1; i >= pos; i--) {
            buf[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        return digits;
    }

    /** Writes a DECIMAL's unscaled value at its scale: {@code -12.50}, {@code 0.05}, {@code 7}. */
    static int formatDecimal(Int128 unscaled, int scale, byte[] buf) {
        boolean negative = unscaled.signum() < 0;
        if (unscaled.fitsLong() && unscaled.lo != Long.MIN_VALUE) {
            // no objects on the common path: digits straight into the buffer, the point inserted
            int pos = 0;
            if (negative) {
                buf[pos++] = '-';
            }
            int digits = writeDigits(Math.abs(unscaled.lo), buf, pos, scale + 1);
            if (scale > 0) {
                int point = pos + digits - scale;
                System.arraycopy(buf, point, buf, point + 1, scale);
                buf[point] = '.';
                digits++;
            }
            return pos + digits;
        }
        String digits = unscaled.toBigInteger().abs().toString();
        int pos = 0;
        if (negative) {
            buf[pos++] = '-';
        }
        int intDigits = digits.length() - scale;
        if (intDigits <= 0) {
            buf[pos++] = '0';
        } else {
            for (int i = 0; i < intDigits; i++) {
                buf[pos++] = (byte) digits.charAt(i);
            }
        }
        if (scale > 0) {
            buf[pos++] = '.';
            for (int i = intDigits; i < 0; i++) {
                buf[pos++] = '0';
            }
            for (int i = Math.max(intDigits, 0); i < digits.length(); i++) {
                buf[pos++] = (byte) digits.charAt(i);
            }
        }
        return pos;
    }

    /** {@code YYYY-MM-DD}, years before 1 as {@code YYYY-MM-DD BC} (PostgreSQL has no year 0). */
    static int formatDate(long days, byte[] buf) {
        return formatCivil(CivilTime.civil(days), buf, 0, true);
    }

    private static int formatCivil(long civil, byte[] buf, int pos, boolean era) {
        long y = CivilTime.year(civil);
        boolean bc = y <= 0;
        int start = pos;
        pos += writeDigits(bc ? 1 - y : y, buf, pos, 4);
        buf[pos++] = '-';
        pos += writeDigits(CivilTime.month(civil), buf, pos, 2);
        buf[pos++] = '-';
        pos += writeDigits(CivilTime.day(civil), buf, pos, 2);
        if (bc && era) {
            pos = appendBc(buf, pos);
        }
        return pos - start;
    }

    private static int appendBc(byte[] buf, int pos) {
        buf[pos++] = ' ';
        buf[pos++] = 'B';
        buf[pos++] = 'C';
        return pos;
    }

    /** {@code YYYY-MM-DD HH:MM:SS[.ffffff]} with trailing zeros of the fraction dropped. */
    static int formatTimestamp(long micros, byte[] buf) {
        long days = CivilTime.days(micros);
        long tod = CivilTime.microOfDay(micros);
        long civil = CivilTime.civil(days);
        int pos = formatCivil(civil, buf, 0, false);
        buf[pos++] = ' ';
        long seconds = tod / CivilTime.MICROS_PER_SECOND;
        pos += writeDigits(seconds / 3600, buf, pos, 2);
        buf[pos++] = ':';
        pos += writeDigits((seconds / 60) % 60, buf, pos, 2);
        buf[pos++] = ':';
        pos += writeDigits(seconds % 60, buf, pos, 2);
        long fraction = tod % CivilTime.MICROS_PER_SECOND;
        if (fraction != 0) {
            buf[pos++] = '.';
            int digits = 6;
            while (fraction % 10 == 0) {
                fraction /= 10;
                digits--;
            }
            pos += writeDigits(fraction, buf, pos, digits);
        }
        if (CivilTime.year(civil) <= 0) {
            pos = appendBc(buf, pos);
        }
        return pos;
    }

    /**
     * A double as PostgreSQL 12+ prints it: the shortest text that reads back as the same value,
     * in {@code %e} style ({@code 1e+20}, {@code 1.5e-05}) when the decimal exponent is below -4
     * or at least 15 (6 for REAL), plain otherwise ({@code 100}, {@code 0.001}); {@code NaN},
     * {@code Infinity}, {@code -Infinity}, {@code -0}.
     */
    static String formatFloat(double d, boolean real) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (Double.doubleToRawLongBits(d) < 0) ? "-0" : "0";
        }
        String java = real ? Float.toString((float) Math.abs(d)) : Double.toString(Math.abs(d));
        int e = java.indexOf('E');
        String mantissa = e < 0 ? java : java.substring(0, e);
        int exp10 = e < 0 ? 0 : Integer.parseInt(java.substring(e + 1));
        int point = mantissa.indexOf('.');
        String intPart = point < 0 ? mantissa : mantissa.substring(0, point);
        String all = intPart + (point < 0 ? "" : mantissa.substring(point + 1));
        int lead = 0;
        while (lead < all.length() - 1 && all.charAt(lead) == '0') {
            lead++;
        }
        int end = all.length();
        while (end > lead + 1 && all.charAt(end - 1) == '0') {
            end--;
        }
        String digits = all.substring(lead, end);
        int x = intPart.length() + exp10 - 1 - lead; // value = d0.d1d2... * 10^x
        StringBuilder sb = new StringBuilder(digits.length() + 8);
        if (d < 0) {
            sb.append('-');
        }
        if (x < -4 || x >= (real ? 6 : 15)) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(x < 0 ? '-' : '+');
            int ax = Math.abs(x);
            if (ax < 10) {
                sb.append('0');
            }
            sb.append(ax);
        } else if (x < 0) {
            sb.append("0.");
            for (int i = -1; i > x; i--) {
                sb.append('0');
            }
            sb.append(digits);
        } else if (digits.length() <= x + 1) {
            sb.append(digits);
            for (int i = digits.length(); i <= x; i++) {
                sb.append('0');
            }
        } else {
            sb.append(digits, 0, x + 1).append('.').append(digits, x + 1, digits.length());
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ parsing fast paths

    /** Result of a fast parse that did not apply: the caller falls back to TextValues. */
    static final long NO_FAST_PATH = Long.MIN_VALUE;

    /** Strips ASCII whitespace: returns {@code (start << 32) | end}. */
    private static long strip(byte[] b, int len) {
        int s = 0;
        int e = len;
        while (s < e && isSpace(b[s])) {
            s++;
        }
        while (e > s && isSpace(b[e - 1])) {
            e--;
        }
        return ((long) s << 32) | e;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    /** {@code [sign]digits} of at most 18 digits, else {@link #NO_FAST_PATH}. */
    static long parseLong(byte[] b, int len) {
        long se = strip(b, len);
        int s = (int) (se >>> 32);
        int e = (int) se;
        boolean negative = false;
        if (s < e && (b[s] == '-' || b[s] == '+')) {
            negative = b[s] == '-';
            s++;
        }
        if (s == e || e - s > 18) {
            return NO_FAST_PATH;
        }
        long v = 0;
        for (int i = s; i < e; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return NO_FAST_PATH;
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    /** {@code YYYY-MM-DD} (4-digit year, valid date) as a day number, else {@link #NO_FAST_PATH}. */
    static long parseDate(byte[] b, int len) {
        long se = strip(b, len);
        int s = (int) (se >>> 32);
        int e = (int) se;
        if (e - s != 10) {
            return NO_FAST_PATH;
        }
        return date(b, s);
    }

    private static long date(byte[] b, int s) {
        if (b[s + 4] != '-' || b[s + 7] != '-') {
            return NO_FAST_PATH;
        }
        int y = digits(b, s, 4);
        int m = digits(b, s + 5, 2);
        int d = digits(b, s + 8, 2);
        if (y < 1 || m < 1 || m > 12 || d < 1 || d > CivilTime.daysInMonth(y, m)) {
            return NO_FAST_PATH;
        }
        return CivilTime.daysFromCivil(y, m, d);
    }

    /**
     * {@code YYYY-MM-DD}, {@code YYYY-MM-DD HH:MM:SS} or with a fraction of up to 6 digits (space
     * or {@code T} between date and time) as epoch microseconds, else {@link #NO_FAST_PATH}.
     */
    static long parseTimestamp(byte[] b, int len) {
        long se = strip(b, len);
        int s = (int) (se >>> 32);
        int e = (int) se;
        int n = e - s;
        if (n < 10) {
            return NO_FAST_PATH;
        }
        long days = date(b, s);
        if (days == NO_FAST_PATH) {
            return NO_FAST_PATH;
        }
        if (n == 10) {
            return days * CivilTime.MICROS_PER_DAY;
        }
        if (n < 19 || (b[s + 10] != ' ' && b[s + 10] != 'T') || b[s + 13] != ':' || b[s + 16] != ':') {
            return NO_FAST_PATH;
        }
        int hh = digits(b, s + 11, 2);
        int mm = digits(b, s + 14, 2);
        int ss = digits(b, s + 17, 2);
        if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59) {
            return NO_FAST_PATH;
        }
        long fraction = 0;
        if (n > 19) {
            int digits = n - 20;
            if (b[s + 19] != '.' || digits < 1 || digits > 6) {
                return NO_FAST_PATH;
            }
            int f = digits(b, s + 20, digits);
            if (f < 0) {
                return NO_FAST_PATH;
            }
            fraction = f * Int128.POW10[6 - digits];
        }
        return days * CivilTime.MICROS_PER_DAY + ((hh * 60L + mm) * 60 + ss) * CivilTime.MICROS_PER_SECOND + fraction;
    }

    /** {@code n} ASCII digits as a number, or -1. */
    private static int digits(byte[] b, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }
}
