package dev.duet.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.types.DataType;
import dev.duet.planner.OutputColumn;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The getter conversions of {@link DuetResultSet} over every SQL type, on rows built in memory
 * (the same class and conversion code read query results), and the result set's cursor rules.
 */
class ResultSetConversionsTest {
    static final List<OutputColumn> COLUMNS = List.of(
            new OutputColumn("B", DataType.BOOLEAN, true),
            new OutputColumn("s", DataType.SMALLINT, true),
            new OutputColumn("i", DataType.INTEGER, true),
            new OutputColumn("l", DataType.BIGINT, true),
            new OutputColumn("r", DataType.REAL, true),
            new OutputColumn("d", DataType.DOUBLE, true),
            new OutputColumn("n", DataType.decimal(10, 2), true),
            new OutputColumn("v", DataType.varchar(10), true),
            new OutputColumn("t", DataType.TEXT, true),
            new OutputColumn("dt", DataType.DATE, true),
            new OutputColumn("ts", DataType.TIMESTAMP, false),
            new OutputColumn("by", DataType.BYTEA, true));

    private static final LocalDate DATE = LocalDate.of(2024, 2, 29);
    private static final LocalDateTime TS = LocalDateTime.of(2024, 2, 29, 13, 45, 10, 123_456_000);

    private final BufferAllocator allocator = new RootAllocator();

    @AfterEach
    void noLeak() {
        assertEquals(0, allocator.getAllocatedMemory(), "result set memory was freed");
        allocator.close();
    }

    ResultSet rows(Object[]... rows) {
        return DuetResultSet.ofRows(allocator, COLUMNS, List.of(rows), null);
    }

    static Object[] full() {
        return new Object[] {true, (short) -12, 42, 5_000_000_000L, 1.5f, -2.25, new BigDecimal("123.45"), "17",
            "héllo ✓", DATE, TS, new byte[] {1, (byte) 0xff}};
    }

    static Object[] nulls() {
        Object[] row = new Object[COLUMNS.size()];
        row[10] = TS; // ts is NOT NULL
        return row;
    }

    @Test
    void everyTypeReadsAsItsOwnJavaType() throws SQLException {
        try (ResultSet rs = rows(full())) {
            assertTrue(rs.next());
            assertTrue(rs.getBoolean(1));
            assertEquals(-12, rs.getShort(2));
            assertEquals(42, rs.getInt(3));
            assertEquals(5_000_000_000L, rs.getLong(4));
            assertEquals(1.5f, rs.getFloat(5));
            assertEquals(-2.25, rs.getDouble(6));
            assertEquals(new BigDecimal("123.45"), rs.getBigDecimal(7));
            assertEquals("17", rs.getString(8));
            assertEquals("héllo ✓", rs.getString(9));
            assertEquals(java.sql.Date.valueOf(DATE), rs.getDate(10));
            assertEquals(Timestamp.valueOf(TS), rs.getTimestamp(11));
            assertArrayEquals(new byte[] {1, (byte) 0xff}, rs.getBytes(12));
            assertFalse(rs.wasNull());
            assertFalse(rs.next());
        }
    }

    @Test
    void getObjectReturnsTheClassTheMetadataNames() throws SQLException {
        try (ResultSet rs = rows(full())) {
            assertTrue(rs.next());
            ResultSetMetaData md = rs.getMetaData();
            List<Object> expected = List.of(true, -12, 42, 5_000_000_000L, 1.5f, -2.25, new BigDecimal("123.45"), "17",
                    "héllo ✓", DATE, TS);
            for (int c = 1; c <= COLUMNS.size(); c++) {
                Object value = rs.getObject(c);
                assertEquals(md.getColumnClassName(c), value.getClass().getName(), "column " + c);
                if (c <= expected.size()) {
                    assertEquals(expected.get(c - 1), value, "column " + c);
                }
            }
            assertArrayEquals(new byte[] {1, (byte) 0xff}, (byte[]) rs.getObject("BY"));
        }
    }

    @Test
    void everyTypeReadsAsAString() throws SQLException {
        try (ResultSet rs = rows(full())) {
            assertTrue(rs.next());
            List<String> got = new ArrayList<>();
            for (int c = 1; c <= COLUMNS.size(); c++) {
                got.add(rs.getString(c));
            }
            assertEquals(List.of("t", "-12", "42", "5000000000", "1.5", "-2.25", "123.45", "17", "héllo ✓",
                    "2024-02-29", "2024-02-29 13:45:10.123456", "\\x01ff"), got);
        }
    }

    @Test
    void numbersAndTextConvertAsJdbcDescribes() throws SQLException {
        try (ResultSet rs = rows(full())) {
            assertTrue(rs.next());
            assertEquals(1, rs.getInt("b"), "boolean as 1");
            assertEquals(-12L, rs.getLong("s"));
            assertEquals(42.0, rs.getDouble("i"));
            assertEquals(new BigDecimal("5000000000"), rs.getBigDecimal("l"));
            assertEquals(1, rs.getInt("r"), "1.5 truncates toward zero");
            assertEquals(-2, rs.getInt("d"));
            assertEquals(123, rs.getInt("n"));
            assertEquals(123.45, rs.getDouble("n"));
            assertEquals(17, rs.getInt("v"), "text parses as a number");
            assertEquals(new BigDecimal("1.5"), rs.getBigDecimal("r"));
            assertEquals(new BigDecimal("123.5"), rs.getBigDecimal("n", 1));
            assertTrue(rs.getBoolean("i"));
            assertEquals(BigInteger.valueOf(123), rs.getObject("n", BigInteger.class));
            assertEquals(Integer.valueOf(17), rs.getObject("v", Integer.class));
            assertEquals(Long.valueOf(42), rs.getObject("i", Long.class));
            assertEquals("123.45", rs.getObject("n", String.class));
            assertArrayEquals("17".getBytes(), rs.getBytes("v"));
            assertSqlState("22003", () -> rs.getInt("l"));
            assertSqlState("22003", () -> rs.getShort("l"));
            assertSqlState("22P02", () -> rs.getInt("t"));
            assertSqlState("22P02", () -> rs.getBoolean("t"));
            assertSqlState("42804", () -> rs.getInt("dt"));
            assertSqlState("42804", () -> rs.getDate("b"));
            assertSqlState("42804", () -> rs.getBytes("i"));
        }
    }

    @Test
    void datesAndTimestampsConvert() throws SQLException {
        try (ResultSet rs = rows(full())) {
            assertTrue(rs.next());
            assertEquals(DATE, rs.getObject("dt", LocalDate.class));
            assertEquals(DATE.atStartOfDay(), rs.getObject("dt", LocalDateTime.class));
            assertEquals(Timestamp.valueOf(DATE.atStartOfDay()), rs.getTimestamp("dt"));
            assertEquals(TS, rs.getObject("ts", LocalDateTime.class));
            assertEquals(DATE, rs.getObject("ts", LocalDate.class));
            assertEquals(java.sql.Date.valueOf(DATE), rs.getDate("ts"));
            assertEquals(TS.toLocalTime(), rs.getObject("ts", LocalTime.class));
            assertEquals(TS.atOffset(ZoneOffset.UTC), rs.getObject("ts", OffsetDateTime.class));
            assertEquals(TS.toInstant(ZoneOffset.UTC), rs.getObject("ts", Instant.class));
            Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
            assertEquals(TS.toInstant(ZoneOffset.UTC), rs.getTimestamp("ts", utc).toInstant());
            assertEquals(DATE.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli(), rs.getDate("dt", utc).getTime());
        }
        Object[] texts = nulls();
        texts[7] = "2024-02-29";
        texts[8] = "2024-02-29 13:45:10.123456";
        try (ResultSet rs = rows(texts)) {
            assertTrue(rs.next());
            assertEquals(DATE, rs.getObject("v", LocalDate.class));
            assertEquals(Timestamp.valueOf(DATE.atStartOfDay()), rs.getTimestamp("v"));
            assertEquals(Timestamp.valueOf(TS), rs.getTimestamp("t"));
        }
    }

    @Test
    void nullsReadAsNullOrZeroWithWasNull() throws SQLException {
        try (ResultSet rs = rows(nulls())) {
            assertTrue(rs.next());
            for (int c = 1; c <= COLUMNS.size(); c++) {
                if (c == 11) {
                    continue;
                }
                assertNull(rs.getObject(c));
                assertTrue(rs.wasNull());
                assertNull(rs.getString(c));
                assertEquals(0, rs.getInt(c) + rs.getLong(c) + rs.getDouble(c) + rs.getFloat(c) + rs.getShort(c));
                assertFalse(rs.getBoolean(c));
                assertNull(rs.getObject(c, LocalDate.class));
                assertTrue(rs.wasNull());
                rs.getObject(11);
                assertFalse(rs.wasNull());
            }
        }
    }

    @Test
    void cursorRules() throws SQLException {
        ResultSet rs = rows(full(), nulls());
        assertSqlState("24000", () -> rs.getInt(1));
        assertTrue(rs.isBeforeFirst());
        assertTrue(rs.next());
        assertTrue(rs.isFirst());
        assertEquals(1, rs.getRow());
        assertSqlState("22023", () -> rs.getInt(0));
        assertSqlState("22023", () -> rs.getInt(13));
        assertSqlState("42703", () -> rs.findColumn("nope"));
        assertEquals(1, rs.findColumn("b"), "labels match case-insensitively");
        assertEquals(1, rs.findColumn("B"));
        assertSqlState("24000", rs::previous);
        assertSqlState("24000", () -> rs.absolute(1));
        assertThrows(java.sql.SQLFeatureNotSupportedException.class, () -> rs.updateInt(1, 3));
        assertTrue(rs.next());
        assertFalse(rs.next());
        assertTrue(rs.isAfterLast());
        assertEquals(0, allocator.getAllocatedMemory(), "the rows are freed once read to the end");
        assertSqlState("24000", () -> rs.getInt(1));
        assertEquals(ResultSet.TYPE_FORWARD_ONLY, rs.getType());
        assertEquals(ResultSet.CONCUR_READ_ONLY, rs.getConcurrency());
        rs.close();
        assertTrue(rs.isClosed());
        assertSqlState("55000", rs::next);
    }

    @Test
    void closingEarlyFreesTheRows() throws SQLException {
        ResultSet rs = rows(full(), full(), nulls());
        assertTrue(rs.next());
        assertTrue(allocator.getAllocatedMemory() > 0);
        rs.close();
        assertEquals(0, allocator.getAllocatedMemory());
    }

    @Test
    void metadataDescribesTypesAsPostgresDoes() throws SQLException {
        try (ResultSet rs = rows()) {
            ResultSetMetaData md = rs.getMetaData();
            assertEquals(12, md.getColumnCount());
            int[] types = {Types.BOOLEAN, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.REAL, Types.DOUBLE,
                Types.NUMERIC, Types.VARCHAR, Types.VARCHAR, Types.DATE, Types.TIMESTAMP, Types.BINARY};
            String[] names = {"bool", "int2", "int4", "int8", "float4", "float8", "numeric", "varchar", "text", "date",
                "timestamp", "bytea"};
            for (int c = 1; c <= 12; c++) {
                assertEquals(types[c - 1], md.getColumnType(c), "type of column " + c);
                assertEquals(names[c - 1], md.getColumnTypeName(c));
                assertEquals(COLUMNS.get(c - 1).name(), md.getColumnLabel(c));
                assertEquals(COLUMNS.get(c - 1).name(), md.getColumnName(c));
            }
            assertEquals(10, md.getPrecision(7));
            assertEquals(2, md.getScale(7));
            assertEquals(10, md.getPrecision(8));
            assertEquals(ResultSetMetaData.columnNoNulls, md.isNullable(11));
            assertEquals(ResultSetMetaData.columnNullable, md.isNullable(1));
            assertTrue(md.isSigned(3));
            assertFalse(md.isSigned(8));
            assertFalse(rs.next(), "no rows");
        }
    }

    static void assertSqlState(String state, Executable action) {
        SQLException e = assertThrows(SQLException.class, action);
        assertEquals(state, e.getSQLState(), e.getMessage());
    }
}
