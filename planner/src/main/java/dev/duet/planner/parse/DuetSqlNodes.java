package dev.duet.planner.parse;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlUtil;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.validate.SqlValidator;

import static org.apache.calcite.util.Static.RESOURCE;

/**
 * Syntax-tree pieces Duet's grammar ({@code src/main/codegen}) builds that Calcite lacks: the
 * PostgreSQL {@code ::} cast operator with PostgreSQL's precedence, interval literals whose unit
 * is inside the string ({@code interval '3 months'}), positional parameters {@code $n}.
 */
public final class DuetSqlNodes {
    /**
     * {@code expr::type}. Binds tighter than unary minus, arithmetic and comparisons (precedence
     * 94; unary minus is 80, member access 100), as PostgreSQL's {@code ::} does; Calcite's Babel
     * operator binds looser than comparisons. Validation rewrites every call into
     * {@code CAST(expr AS type)}.
     */
    public static final SqlBinaryOperator INFIX_CAST = new InfixCast();

    private static final Pattern PART = Pattern.compile(
            "\\s*([+-]?\\d+):(\\d+)(?::(\\d+(?:\\.\\d*)?))?|\\s*([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+))\\s*([a-z]+)?");
    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
    private static final long MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;
    private static final long MICROS_PER_DAY = 24 * MICROS_PER_HOUR;
    /** Leading-field precision of the literals built here (Calcite's maximum is 10). */
    private static final int PRECISION = 9;

    private DuetSqlNodes() {
    }

    /**
     * The interval literal of PostgreSQL's {@code INTERVAL 'text'} without a qualifier:
     * {@code '3 months'}, {@code '1 year 2 months'}, {@code '90 minutes'}, {@code '1 day 02:30:00'},
     * {@code '2 weeks ago'}. Units: microsecond(s), millisecond(s), second(s), minute(s), hour(s),
     * day(s), week(s), month(s), year(s), decade(s), century/centuries, millennium/millennia and
     * their abbreviations; a bare number is seconds. Calcite's interval types keep months apart
     * from days and time, so a text mixing both fails (42601).
     */
    public static SqlLiteral intervalLiteral(int sign, String text, SqlParserPos pos) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        boolean ago = t.endsWith(" ago");
        if (ago) {
            t = t.substring(0, t.length() - 4);
        }
        long months = 0;
        BigDecimal micros = BigDecimal.ZERO;
        Matcher m = PART.matcher(t);
        int at = 0;
        boolean any = false;
        while (at < t.length()) {
            if (!m.find(at) || m.start() != at || m.end() == at) {
                throw illegal(text, pos);
            }
            any = true;
            if (m.group(4) != null) {
                BigDecimal n = new BigDecimal(m.group(4).startsWith("+") ? m.group(4).substring(1) : m.group(4));
                String unit = m.group(5) == null ? "second" : m.group(5);
                switch (unit) {
                    case "microsecond", "microseconds", "us", "usec", "usecs" -> micros = micros.add(n);
                    case "millisecond", "milliseconds", "ms", "msec", "msecs" -> micros = micros.add(n.movePointRight(3));
                    case "second", "seconds", "sec", "secs", "s" -> micros = micros.add(n.movePointRight(6));
                    case "minute", "minutes", "min", "mins", "m" ->
                            micros = micros.add(n.multiply(BigDecimal.valueOf(MICROS_PER_MINUTE)));
                    case "hour", "hours", "hr", "hrs", "h" -> micros = micros.add(n.multiply(BigDecimal.valueOf(MICROS_PER_HOUR)));
                    case "day", "days", "d" -> micros = micros.add(n.multiply(BigDecimal.valueOf(MICROS_PER_DAY)));
                    case "week", "weeks", "w" -> micros = micros.add(n.multiply(BigDecimal.valueOf(7 * MICROS_PER_DAY)));
                    case "month", "months", "mon", "mons" -> months += whole(n, text, pos);
                    case "year", "years", "yr", "yrs", "y" -> months += whole(n.multiply(BigDecimal.valueOf(12)), text, pos);
                    case "decade", "decades" -> months += whole(n.multiply(BigDecimal.valueOf(120)), text, pos);
                    case "century", "centuries" -> months += whole(n.multiply(BigDecimal.valueOf(1200)), text, pos);
                    case "millennium", "millennia", "millenniums" ->
                            months += whole(n.multiply(BigDecimal.valueOf(12000)), text, pos);
                    default -> throw illegal(text, pos);
                }
            } else {
                long h = Long.parseLong(m.group(1));
                BigDecimal time = BigDecimal.valueOf(Math.abs(h) * MICROS_PER_HOUR
                        + Long.parseLong(m.group(2)) * MICROS_PER_MINUTE);
                if (m.group(3) != null) {
                    time = time.add(new BigDecimal(m.group(3)).movePointRight(6));
                }
                micros = micros.add(m.group(1).startsWith("-") ? time.negate() : time);
            }
            at = m.end();
            while (at < t.length() && Character.isWhitespace(t.charAt(at))) {
                at++;
            }
        }
        if (!any || micros.stripTrailingZeros().scale() > 0) {
            throw illegal(text, pos);
        }
        int s = ago ? -sign : sign;
        if (months != 0 && micros.signum() != 0) {
            throw SqlUtil.newContextException(pos, RESOURCE.illegalIntervalLiteral(text,
                    pos + ": an interval cannot mix months or years with days or time in Duet"));
        }
        if (micros.signum() == 0) {
            if (months % 12 == 0 && months != 0) {
                return interval(s, months / 12, TimeUnit.YEAR, pos);
            }
            return interval(s, months, TimeUnit.MONTH, pos);
        }
        long us = micros.longValueExact();
        if (us % MICROS_PER_DAY == 0) {
            return interval(s, us / MICROS_PER_DAY, TimeUnit.DAY, pos);
        }
        if (us % MICROS_PER_HOUR == 0) {
            return interval(s, us / MICROS_PER_HOUR, TimeUnit.HOUR, pos);
        }
        if (us % MICROS_PER_MINUTE == 0) {
            return interval(s, us / MICROS_PER_MINUTE, TimeUnit.MINUTE, pos);
        }
        BigDecimal seconds = BigDecimal.valueOf(us).movePointLeft(6).stripTrailingZeros();
        int sign2 = seconds.signum() < 0 ? -s : s;
        return SqlLiteral.createInterval(sign2, seconds.abs().toPlainString(),
                new SqlIntervalQualifier(TimeUnit.SECOND, PRECISION, null, 6, pos), pos);
    }

    /**
     * PostgreSQL's {@code $n}: Calcite's dynamic parameter with index n - 1. Every {@code $1} of a
     * statement is the same parameter (Calcite numbers {@code ?} by position instead).
     */
    public static SqlPositionalParam positionalParameter(String image, SqlParserPos pos) {
        int n;
        try {
            n = Integer.parseInt(image.substring(1));
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1) {
            throw SqlUtil.newContextException(pos, RESOURCE.illegalLiteral("parameter", image, pos.toString()));
        }
        return new SqlPositionalParam(n - 1, pos);
    }

    private static SqlLiteral interval(int sign, long value, TimeUnit unit, SqlParserPos pos) {
        int s = value < 0 ? -sign : sign;
        return SqlLiteral.createInterval(s, Long.toString(Math.abs(value)),
                new SqlIntervalQualifier(unit, PRECISION, null, -1, pos), pos);
    }

    private static long whole(BigDecimal n, String text, SqlParserPos pos) {
        try {
            return n.longValueExact();
        } catch (ArithmeticException e) {
            throw illegal(text, pos);
        }
    }

    private static RuntimeException illegal(String text, SqlParserPos pos) {
        return SqlUtil.newContextException(pos, RESOURCE.illegalIntervalLiteral(text, pos.toString()));
    }

    /** {@code expr::type}; see {@link #INFIX_CAST}. */
    private static final class InfixCast extends SqlBinaryOperator {
        InfixCast() {
            super("::", SqlKind.CAST, 94, true, ReturnTypes.ARG1, InferTypes.FIRST_KNOWN, null);
        }

        @Override
        public SqlNode rewriteCall(SqlValidator validator, SqlCall call) {
            return SqlStdOperatorTable.CAST.createCall(call.getParserPosition(), call.operand(0), call.operand(1));
        }
    }
}
