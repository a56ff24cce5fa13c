package dev.duet.planner.exec.expr;

import dev.duet.core.types.DataType;
import dev.duet.core.types.DataType.Kind;
import java.util.Locale;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;

/**
 * Date and timestamp arithmetic and fields: {@code ± interval} (months, then microseconds, as
 * PostgreSQL applies an interval), {@code date - date}, EXTRACT / date_part and date_trunc with
 * PostgreSQL's units. DATE is a day number, TIMESTAMP microseconds since 1970-01-01 (no zone).
 */
final class DateTimeFunctions {
    private DateTimeFunctions() {
    }

    /** The value at row {@code i} in microseconds; 22008 for a date too far out to be a timestamp. */
    private static long readMicros(long a, int i, boolean date) {
        if (!date) {
            return MemoryUtil.getLong(a + 8L * i);
        }
        try {
            return Math.multiplyExact(MemoryUtil.getInt(a + 4L * i), CivilTime.MICROS_PER_DAY);
        } catch (ArithmeticException e) {
            throw EvaluationErrors.outOfRange(DataType.TIMESTAMP);
        }
    }

    private static void writeMicros(long o, int i, long micros, DataType type) {
        if (type.kind() == Kind.DATE) {
            long days = CivilTime.days(micros);
            if (days != (int) days) {
                throw EvaluationErrors.outOfRange(type);
            }
            MemoryUtil.putInt(o + 4L * i, (int) days);
        } else {
            MemoryUtil.putLong(o + 8L * i, micros);
        }
    }

    /**
     * {@code datetime + interval} with a constant interval of {@code months} and
     * {@code micros} (either may be negative; Calcite's intervals have one or the other). The
     * month part clamps to the end of the month (Jan 31 + 1 month = Feb 29 in a leap year).
     */
    static final class PlusInterval extends UnaryEvaluator {
        private final boolean dateInput;
        private final long months;
        private final long micros;

        PlusInterval(DataType type, BufferAllocator allocator, VectorEvaluator input, long months, long micros) {
            super(type, allocator, input);
            this.dateInput = input.type().kind() == Kind.DATE;
            this.months = months;
            this.micros = micros;
        }

        @Override
        protected void compute(FieldVector in, int n, boolean allValid, long validity) {
            long a = in.getDataBufferAddress();
            long o = out.getDataBufferAddress();
            if (dateInput && type().kind() == Kind.DATE && micros % CivilTime.MICROS_PER_DAY == 0) {
                // whole days and months on a date: stay in day numbers
                long days = micros / CivilTime.MICROS_PER_DAY;
                for (int i = 0; i < n; i++) {
                    if (allValid || Bitmaps.get(validity, i)) {
                        long d = MemoryUtil.getInt(a + 4L * i);
                        if (months != 0) {
                            d = CivilTime.addMonths(d, months);
                        }
                        d += days;
                        if (d != (int) d) {
                            throw EvaluationErrors.outOfRange(type());
                        }
                        MemoryUtil.putInt(o + 4L * i, (int) d);
                    }
                }
                return;
            }
            for (int i = 0; i < n; i++) {
                if (!allValid && !Bitmaps.get(validity, i)) {
                    continue;
                }
                long t;
                try {
                    t = readMicros(a, i, dateInput);
                    if (months != 0) {
                        long tod = CivilTime.microOfDay(t);
                        t = Math.addExact(Math.multiplyExact(CivilTime.addMonths(CivilTime.days(t), months),
                                CivilTime.MICROS_PER_DAY), tod);
                    }
                    t = Math.addExact(t, micros);
                } catch (ArithmeticException e) {
                    throw EvaluationErrors.outOfRange(type());
                }
                writeMicros(o, i, t, type());
            }
        }
    }

    /** {@code date - date}: the number of days (INTEGER or BIGINT as typed). */
    static final class DateDifference extends BinaryEvaluator {
        DateDifference(DataType type, BufferAllocator allocator, VectorEvaluator l, VectorEvaluator r) {
            super(type, allocator, l, r);
        }

        @Override
        protected void compute(FieldVector l, FieldVector r, int n, boolean allValid, long validity) {
            long a = l.getDataBufferAddress();
            long b = r.getDataBufferAddress();
            long o = out.getDataBufferAddress();
            boolean bigint = type().kind() == Kind.BIGINT;
            for (int i = 0; i < n; i++) {
                long d = (long) MemoryUtil.getInt(a + 4L * i) - MemoryUtil.getInt(b + 4L * i);
                if (bigint) {
                    MemoryUtil.putLong(o + 8L * i, d);
                } else {
                    if (d != (int) d && (allValid || Bitmaps.get(validity, i))) {
                        throw EvaluationErrors.outOfRange(type());
                    }
                    MemoryUtil.putInt(o + 4L * i, (int) d);
                }
            }
        }
    }

    /** The fields EXTRACT and date_part take, as PostgreSQL names them. */
    enum Field {
        YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, MILLISECOND, MICROSECOND,
        DOW, ISODOW, DOY, EPOCH, DECADE, CENTURY, MILLENNIUM, ISOYEAR;

        /** The field for a PostgreSQL unit name ({@code year}, {@code dow}, {@code milliseconds}, ...), or null. */
        static Field of(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            return switch (n) {
                case "year", "years" -> YEAR;
                case "quarter" -> QUARTER;
                case "month", "months" -> MONTH;
                case "week", "weeks" -> WEEK;
                case "day", "days" -> DAY;
                case "hour", "hours" -> HOUR;
                case "minute", "minutes" -> MINUTE;
                case "second", "seconds" -> SECOND;
                case "millisecond", "milliseconds" -> MILLISECOND;
                case "microsecond", "microseconds" -> MICROSECOND;
                case "dow" -> DOW;
                case "isodow" -> ISODOW;
                case "doy" -> DOY;
                case "epoch" -> EPOCH;
                case "decade" -> DECADE;
                case "century" -> CENTURY;
                case "millennium" -> MILLENNIUM;
                case "isoyear" -> ISOYEAR;
                default -> null;
            };
        }
    }

    /**
     * EXTRACT(field FROM date/timestamp) as a BIGINT. The sub-day fields are whole numbers, as
     * DuckDB returns them: SECOND is the whole seconds, MILLISECOND the seconds field in
     * milliseconds ({@code 5.5 s} → 5500), EPOCH whole seconds since 1970 (rounded down).
     */
    static final class Extract extends UnaryEvaluator {
        private final Field field;
        private final boolean dateInput;

        Extract(DataType type, BufferAllocator allocator, VectorEvaluator input, Field field) {
            super(type, allocator, input);
            this.field = field;
            this.dateInput = input.type().kind() == Kind.DATE;
        }

        @Override
        protected void compute(FieldVector in, int n, boolean allValid, long validity) {
            long a = in.getDataBufferAddress();
            long o = out.getDataBufferAddress();
            for (int i = 0; i < n; i++) {
                if (allValid || Bitmaps.get(validity, i)) {
                    long days;
                    long tod;
                    if (dateInput) {
                        days = MemoryUtil.getInt(a + 4L * i);
                        tod = 0;
                    } else {
                        long t = MemoryUtil.getLong(a + 8L * i);
                        days = CivilTime.days(t);
                        tod = CivilTime.microOfDay(t);
                    }
                    MemoryUtil.putLong(o + 8L * i, extract(field, days, tod));
                }
            }
        }

        /** The field of the instant {@code tod} microseconds into day {@code days}. */
        static long extract(Field field, long days, long tod) {
            return switch (field) {
                case YEAR -> CivilTime.year(CivilTime.civil(days));
                case QUARTER -> (CivilTime.month(CivilTime.civil(days)) - 1) / 3 + 1;
                case MONTH -> CivilTime.month(CivilTime.civil(days));
                case DAY -> CivilTime.day(CivilTime.civil(days));
                case WEEK -> CivilTime.isoWeek(days);
                case ISOYEAR -> CivilTime.isoYear(days);
                case HOUR -> tod / 3_600_000_000L;
                case MINUTE -> (tod / 60_000_000L) % 60;
                case SECOND -> (tod / 1_000_000L) % 60;
                case MILLISECOND -> (tod % 60_000_000L) / 1000;
                case MICROSECOND -> tod % 60_000_000L;
                case DOW -> CivilTime.dayOfWeek(days);
                case ISODOW -> {
                    int dow = CivilTime.dayOfWeek(days);
                    yield dow == 0 ? 7 : dow;
                }
                case DOY -> CivilTime.dayOfYear(days);
                case EPOCH -> days * 86_400 + tod / CivilTime.MICROS_PER_SECOND;
                case DECADE -> Math.floorDiv(CivilTime.year(CivilTime.civil(days)), 10);
                case CENTURY -> {
                    long y = CivilTime.year(CivilTime.civil(days));
                    yield y > 0 ? (y + 99) / 100 : -((99 - (y - 1)) / 100);
                }
                case MILLENNIUM -> {
                    long y = CivilTime.year(CivilTime.civil(days));
                    yield y > 0 ? (y + 999) / 1000 : -((999 - (y - 1)) / 1000);
                }
            };
        }
    }

    /** date_trunc's units, PostgreSQL's spelling. */
    enum Unit {
        MICROSECONDS, MILLISECONDS, SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER, YEAR, DECADE, CENTURY, MILLENNIUM;

        static Unit of(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            for (Unit u : values()) {
                if (u.name().toLowerCase(Locale.ROOT).equals(n)) {
                    return u;
                }
            }
            return switch (n) {
                case "microsecond" -> MICROSECONDS;
                case "millisecond" -> MILLISECONDS;
                case "seconds" -> SECOND;
                case "minutes" -> MINUTE;
                case "hours" -> HOUR;
                case "days" -> DAY;
                case "weeks" -> WEEK;
                case "months" -> MONTH;
                case "years" -> YEAR;
                default -> null;
            };
        }
    }

    /**
     * date_trunc(unit, date/timestamp) → TIMESTAMP: the start of the unit containing the value.
     * Weeks start on Monday (ISO); decades at years divisible by 10; centuries and millennia at
     * years 1, 101, 1001, 2001 ... (PostgreSQL: {@code date_trunc('century', '2000-06-01')} is
     * {@code 1901-01-01}).
     */
    static final class Truncate extends UnaryEvaluator {
        private final Unit unit;
        private final boolean dateInput;

        Truncate(DataType type, BufferAllocator allocator, VectorEvaluator input, Unit unit) {
            super(type, allocator, input);
            this.unit = unit;
            this.dateInput = input.type().kind() == Kind.DATE;
        }

        @Override
        protected void compute(FieldVector in, int n, boolean allValid, long validity) {
            long a = in.getDataBufferAddress();
            long o = out.getDataBufferAddress();
            for (int i = 0; i < n; i++) {
                if (allValid || Bitmaps.get(validity, i)) {
                    long t;
                    if (dateInput) {
                        long days = MemoryUtil.getInt(a + 4L * i);
                        // units of a day or less leave a date as it is
                        t = unit.ordinal() <= Unit.DAY.ordinal() ? toMicros(days) : truncate(unit, toMicros(days));
                    } else {
                        t = truncate(unit, MemoryUtil.getLong(a + 8L * i));
                    }
                    writeMicros(o, i, t, type());
                }
            }
        }

        private long toMicros(long days) {
            try {
                return Math.multiplyExact(days, CivilTime.MICROS_PER_DAY);
            } catch (ArithmeticException e) {
                throw EvaluationErrors.outOfRange(DataType.TIMESTAMP);
            }
        }

        static long truncate(Unit unit, long t) {
            long days = CivilTime.days(t);
            return switch (unit) {
                case MICROSECONDS -> t;
                case MILLISECONDS -> Math.floorDiv(t, 1000L) * 1000L;
                case SECOND -> Math.floorDiv(t, CivilTime.MICROS_PER_SECOND) * CivilTime.MICROS_PER_SECOND;
                case MINUTE -> Math.floorDiv(t, 60_000_000L) * 60_000_000L;
                case HOUR -> Math.floorDiv(t, 3_600_000_000L) * 3_600_000_000L;
                case DAY -> days * CivilTime.MICROS_PER_DAY;
                case WEEK -> {
                    int isoDow = (CivilTime.dayOfWeek(days) + 6) % 7; // Monday = 0
                    yield (days - isoDow) * CivilTime.MICROS_PER_DAY;
                }
                default -> {
                    long c = CivilTime.civil(days);
                    long y = CivilTime.year(c);
                    int m = CivilTime.month(c);
                    long start = switch (unit) {
                        case MONTH -> CivilTime.daysFromCivil(y, m, 1);
                        case QUARTER -> CivilTime.daysFromCivil(y, (m - 1) / 3 * 3 + 1, 1);
                        case YEAR -> CivilTime.daysFromCivil(y, 1, 1);
                        case DECADE -> CivilTime.daysFromCivil(Math.floorDiv(y, 10) * 10, 1, 1);
                        case CENTURY -> CivilTime.daysFromCivil(Math.floorDiv(y - 1, 100) * 100 + 1, 1, 1);
                        case MILLENNIUM -> CivilTime.daysFromCivil(Math.floorDiv(y - 1, 1000) * 1000 + 1, 1, 1);
                        default -> throw new IllegalStateException();
                    };
                    yield start * CivilTime.MICROS_PER_DAY;
                }
            };
        }
    }
}
