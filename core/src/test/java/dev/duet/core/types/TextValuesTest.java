package dev.duet.core.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class TextValuesTest {
    private static Object parse(DataType t, String s) {
        return TextValues.parse(t, s, "c");
    }

    private static SqlState failure(DataType t, String s) {
        return assertThrows(DuetException.class, () -> parse(t, s)).state();
    }

    @Test
    void parsesEveryType() {
        assertEquals(true, parse(DataType.BOOLEAN, "yes"));
        assertEquals(false, parse(DataType.BOOLEAN, "f"));
        assertEquals((short) -3, parse(DataType.SMALLINT, " -3 "));
        assertEquals(42, parse(DataType.INTEGER, "42"));
        assertEquals(42, parse(DataType.INTEGER, "42.00"));
        assertEquals(Long.MAX_VALUE, parse(DataType.BIGINT, "9223372036854775807"));
        assertEquals(1.5f, parse(DataType.REAL, "1.5"));
        assertEquals(Double.NEGATIVE_INFINITY, parse(DataType.DOUBLE, "-Infinity"));
        assertEquals(new BigDecimal("3.14"), parse(DataType.decimal(5, 2), "3.14159"));
        assertEquals("x y", parse(DataType.TEXT, "x y"));
        assertEquals(LocalDate.of(2024, 2, 29), parse(DataType.DATE, "2024-02-29"));
        assertEquals(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 500_000_000), parse(DataType.TIMESTAMP, "2024-01-02 03:04:05.5"));
        assertArrayEquals(new byte[] {0x0a, (byte) 0xff}, (byte[]) parse(DataType.BYTEA, "\\x0aff"));
    }

    @Test
    void rejectsBadText() {
        assertEquals(SqlState.INVALID_TEXT_REPRESENTATION, failure(DataType.INTEGER, "abc"));
        assertEquals(SqlState.INVALID_TEXT_REPRESENTATION, failure(DataType.INTEGER, "1.5"));
        assertEquals(SqlState.INVALID_TEXT_REPRESENTATION, failure(DataType.DOUBLE, "1d"));
        assertEquals(SqlState.INVALID_TEXT_REPRESENTATION, failure(DataType.BOOLEAN, "maybe"));
        assertEquals(SqlState.INVALID_TEXT_REPRESENTATION, failure(DataType.DATE, "2024-02-30"));
        assertEquals(SqlState.INVALID_TEXT_REPRESENTATION, failure(DataType.BYTEA, "\\xz1"));
        assertEquals(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, failure(DataType.SMALLINT, "40000"));
        assertEquals(SqlState.STRING_DATA_RIGHT_TRUNCATION, failure(DataType.varchar(2), "abc"));
    }

    @Test
    void formatIsTheInverseOfParse() {
        Object[][] cases = {
            {DataType.BOOLEAN, "t"}, {DataType.INTEGER, "-12"}, {DataType.DOUBLE, "2.5"}, {DataType.DOUBLE, "NaN"},
            {DataType.decimal(10, 3), "1.500"}, {DataType.DATE, "1999-12-31"},
            {DataType.TIMESTAMP, "2024-01-02 03:04:05.000001"}, {DataType.BYTEA, "\\x00ff10"}, {DataType.TEXT, "hé"},
        };
        for (Object[] c : cases) {
            DataType t = (DataType) c[0];
            assertEquals(c[1], TextValues.format(t, parse(t, (String) c[1])), t.toString());
        }
    }

    @Test
    void typeNamesParse() {
        assertEquals(DataType.INTEGER, DataType.parse("INT4"));
        assertEquals(DataType.DOUBLE, DataType.parse("double precision"));
        assertEquals(DataType.varchar(20), DataType.parse("character varying(20)"));
        assertEquals(DataType.decimal(10, 2), DataType.parse("numeric(10, 2)"));
        assertEquals(DataType.TEXT, DataType.parse("varchar"));
        assertEquals(SqlState.UNDEFINED_OBJECT, assertThrows(DuetException.class, () -> DataType.parse("money")).state());
        assertEquals(SqlState.INVALID_PARAMETER_VALUE, assertThrows(DuetException.class, () -> DataType.parse("decimal(40,2)")).state());
    }
}
