package dev.duet.planner.exec.expr;

/**
 * Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01, DATE's storage)
 * and microsecond timestamps, without objects: Howard Hinnant's days-from-civil algorithms. A
 * civil date travels packed in a {@code long} as {@code year << 9 | month << 5 | day}.
 */
final class CivilTime {
    static final long MICROS_PER_SECOND = 1_000_000L;
    static final long MICROS_PER_DAY = 86_400_000_000L;

    private CivilTime() {
    }

    static long daysFromCivil(long year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = (y >= 0 ? y : y - 399) / 400;
        int yoe = (int) (y - era * 400);
        int doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    /**
     * The packed civil date of a day number. Day numbers of DATE and TIMESTAMP values fit an int,
     * so the arithmetic is on ints (divisions by constants the JIT turns into multiplications).
     */
    static long civil(long days) {
        if (days < Integer.MIN_VALUE + 146097 || days > Integer.MAX_VALUE - 719468) {
            return civilWide(days);
        }
        int z = (int) (days + 719468);
        int era = (z >= 0 ? z : z - 146096) / 146097;
        int doe = z - era * 146097;
        int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        int mp = (5 * doy + 2) / 153;
        int d = doy - (153 * mp + 2) / 5 + 1;
        int m = mp < 10 ? mp + 3 : mp - 9;
        long y = yoe + (long) era * 400 + (m <= 2 ? 1 : 0);
        return (y << 9) | ((long) m << 5) | d;
    }

    /** {@link #civil} in long arithmetic, for day numbers near the ends of the int range. */
    private static long civilWide(long days) {
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
        return (y << 9) | (m << 5) | d;
    }

    static long year(long packed) {
        return packed >> 9;
    }

    static int month(long packed) {
        return (int) ((packed >> 5) & 15);
    }

    static int day(long packed) {
        return (int) (packed & 31);
    }

    static boolean isLeap(long year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    static int daysInMonth(long year, int month) {
        return switch (month) {
            case 2 -> isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Adds months, clamping the day to the end of the month (Jan 31 + 1 month = Feb 28/29). */
    static long addMonths(long days, long months) {
        long c = civil(days);
        long total = year(c) * 12 + (month(c) - 1) + months;
        long y = Math.floorDiv(total, 12);
        int m = Math.floorMod(total, 12) + 1;
        return daysFromCivil(y, m, Math.min(day(c), daysInMonth(y, m)));
    }

    /** Day of the week, 0 = Sunday .. 6 = Saturday (PostgreSQL's {@code dow}). */
    static int dayOfWeek(long days) {
        return Math.floorMod(days + 4, 7);
    }

    /** Day of the year, 1..366. */
    static int dayOfYear(long days) {
        return (int) (days - daysFromCivil(year(civil(days)), 1, 1)) + 1;
    }

    /** The Thursday of the ISO week of {@code days}: its year is the ISO year. */
    private static long isoThursday(long days) {
        int isoDow = (dayOfWeek(days) + 6) % 7 + 1;
        return days - (isoDow - 1) + 3;
    }

    static long isoYear(long days) {
        return year(civil(isoThursday(days)));
    }

    /** ISO 8601 week number, 1..53. */
    static int isoWeek(long days) {
        return (dayOfYear(isoThursday(days)) - 1) / 7 + 1;
    }

    static long days(long micros) {
        return Math.floorDiv(micros, MICROS_PER_DAY);
    }

    static long microOfDay(long micros) {
        return Math.floorMod(micros, MICROS_PER_DAY);
    }
}
