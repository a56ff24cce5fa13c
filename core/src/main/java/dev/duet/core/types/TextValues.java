package dev.duet.core.types;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * Values as text, the way PostgreSQL's input and output functions spell them: {@link #parse}
 * reads a literal such as {@code 42}, {@code 3.50}, {@code 2024-01-31}, {@code 2024-01-31
 * 12:00:00.5}, {@code true} or {@code \x0aff} into the canonical value of a type (22P02 when the
 * text is not a value of that type, then the usual range and length checks of
 * {@link Values#coerce}); {@link #format} writes the inverse.
 */
public final class TextValues {
    private static final HexFormat HEX = HexFormat.of();

    private TextValues() {
    }

    /** Parses {@code text} as a value of {@code type}; null stays null. */
    public static Object parse(DataType type, String text, String columnName) {
        Objects.requireNonNull(type, "type is null");
        if (text == null) {
            return null;
        }
        String t = text.strip();
        try {
            Object raw = switch (type.kind()) {
                case BOOLEAN -> parseBoolean(t);
                case SMALLINT, INTEGER, BIGINT, DECIMAL -> new BigDecimal(t);
                case REAL, DOUBLE -> parseDouble(t);
                case VARCHAR -> text;
                case DATE -> LocalDate.parse(t);
                case TIMESTAMP -> LocalDateTime.parse(t.replace(' ', 'T'));
                case BYTEA -> t.startsWith("\\x") ? HEX.parseHex(t.substring(2)) : text.getBytes(StandardCharsets.UTF_8);
            };
            if (type.kind() == DataType.Kind.DATE && t.length() > 10) {
                throw new DateTimeParseException("date with trailing text", t, 10);
            }
            if ((type.kind() == DataType.Kind.SMALLINT || type.kind() == DataType.Kind.INTEGER
                    || type.kind() == DataType.Kind.BIGINT) && ((BigDecimal) raw).stripTrailingZeros().scale() > 0) {
                throw new NumberFormatException("not an integer");
            }
            return Values.coerce(type, raw, columnName);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw DuetException.of(SqlState.INVALID_TEXT_REPRESENTATION,
                    "invalid input syntax for type %s: \"%s\"", type, text);
        } catch (IllegalArgumentException e) {
            throw DuetException.of(SqlState.INVALID_TEXT_REPRESENTATION,
                    "invalid input syntax for type %s: \"%s\"", type, text);
        }
    }

    private static Boolean parseBoolean(String t) {
        switch (t.toLowerCase(Locale.ROOT)) {
            case "t", "true", "yes", "y", "on", "1":
                return Boolean.TRUE;
            case "f", "false", "no", "n", "off", "0":
                return Boolean.FALSE;
            default:
                throw new IllegalArgumentException("not a boolean");
        }
    }

    private static Double parseDouble(String t) {
        switch (t.toLowerCase(Locale.ROOT)) {
            case "nan":
                return Double.NaN;
            case "infinity", "+infinity", "inf":
                return Double.POSITIVE_INFINITY;
            case "-infinity", "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                if (!t.isEmpty() && Character.isLetter(t.charAt(t.length() - 1))) {
                    throw new NumberFormatException(t); // Java accepts "1d" and "1f"; SQL does not
                }
                return Double.valueOf(t);
        }
    }

    /** The text form of a canonical value ({@code NULL} → null). */
    public static String format(DataType type, Object value) {
        if (value == null) {
            return null;
        }
        return switch (type.kind()) {
            case BOOLEAN -> ((Boolean) value) ? "t" : "f";
            case DECIMAL -> ((BigDecimal) value).toPlainString();
            case TIMESTAMP -> value.toString().replace('T', ' ');
            case BYTEA -> "\\x" + HEX.formatHex((byte[]) value);
            case REAL, DOUBLE -> formatFloat(((Number) value).doubleValue(), type.kind() == DataType.Kind.REAL, value);
            default -> value.toString();
        };
    }

    private static String formatFloat(double d, boolean real, Object value) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        String s = value.toString();
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
