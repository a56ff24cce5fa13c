package dev.duet.columnstore.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.types.DataType;
import dev.duet.core.types.Values;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/**
 * Arrow → Parquet → Arrow for every Duet type, with DuckDB as the independent reader: it must see
 * the same values with the same SQL types, and files DuckDB writes must read back as DuckDB's own
 * query results.
 */
class ParquetRoundTripTest extends ParquetFileTest {
    static final List<BatchColumn> COLUMNS = List.of(
            new BatchColumn("id", DataType.BIGINT, false),
            new BatchColumn("b", DataType.BOOLEAN, true),
            new BatchColumn("s", DataType.SMALLINT, true),
            new BatchColumn("i", DataType.INTEGER, true),
            new BatchColumn("l", DataType.BIGINT, true),
            new BatchColumn("r", DataType.REAL, true),
            new BatchColumn("d", DataType.DOUBLE, true),
            new BatchColumn("d9", DataType.decimal(9, 2), true),
            new BatchColumn("d18", DataType.decimal(18, 4), true),
            new BatchColumn("d20", DataType.decimal(20, 0), true),
            new BatchColumn("d38", DataType.decimal(38, 10), true),
            new BatchColumn("v", DataType.varchar(12), true),
            new BatchColumn("t", DataType.TEXT, true),
            new BatchColumn("dt", DataType.DATE, true),
            new BatchColumn("ts", DataType.TIMESTAMP, true),
            new BatchColumn("by", DataType.BYTEA, true));

    /** What DuckDB must call each column. */
    static final List<String> DUCKDB_TYPES = List.of("BIGINT", "BOOLEAN", "SMALLINT", "INTEGER", "BIGINT", "FLOAT",
            "DOUBLE", "DECIMAL(9,2)", "DECIMAL(18,4)", "DECIMAL(20,0)", "DECIMAL(38,10)", "VARCHAR", "VARCHAR",
            "DATE", "TIMESTAMP", "BLOB");

    /** Extremes first, then random rows with about one NULL in five. */
    static List<Object[]> rows(int randomRows, long seed) {
        List<Object[]> rows = new ArrayList<>();
        BigDecimal max38 = new BigDecimal(BigInteger.TEN.pow(38).subtract(BigInteger.ONE), 10);
        BigDecimal max20 = new BigDecimal(BigInteger.TEN.pow(20).subtract(BigInteger.ONE), 0);
        rows.add(new Object[] {0L, true, Short.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, Float.MAX_VALUE,
            Double.MAX_VALUE, new BigDecimal("9999999.99"), new BigDecimal("99999999999999.9999"), max20, max38,
            "", "😀 non-BMP 𝄞 ü", LocalDate.of(9999, 12, 31), LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000),
            new byte[0]});
        rows.add(new Object[] {1L, false, Short.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE, -Float.MAX_VALUE,
            -Double.MAX_VALUE, new BigDecimal("-9999999.99"), new BigDecimal("-99999999999999.9999"), max20.negate(),
            max38.negate(), "𝄞𝄞𝄞", "", LocalDate.of(1, 1, 1), LocalDateTime.of(1000, 1, 1, 0, 0, 0, 1000),
            new byte[] {0, (byte) 0xff, 0x7f, (byte) 0x80}});
        rows.add(new Object[] {2L, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null});
        rows.add(new Object[] {3L, true, (short) 0, 0, 0L, Float.MIN_VALUE, Double.MIN_VALUE, new BigDecimal("0.01"),
            new BigDecimal("-0.0001"), new BigDecimal("1"), new BigDecimal("-0.0000000001"), "a\u0000b", "\uffff",
            LocalDate.of(1969, 12, 31), LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000), new byte[] {0}});
        Random rnd = new Random(seed);
        for (int n = 0; n < randomRows; n++) {
            Object[] row = new Object[COLUMNS.size()];
            row[0] = (long) rows.size();
            for (int c = 1; c < row.length; c++) {
                row[c] = rnd.nextInt(5) == 0 ? null : randomValue(rnd, COLUMNS.get(c).type());
            }
            rows.add(row);
        }
        return rows;
    }

    static Object randomValue(Random rnd, DataType t) {
        return switch (t.kind()) {
            case BOOLEAN -> rnd.nextBoolean();
            case SMALLINT -> (short) rnd.nextInt();
            case INTEGER -> rnd.nextInt();
            case BIGINT -> rnd.nextLong();
            case REAL -> (float) rnd.nextGaussian() * 1000;
            case DOUBLE -> rnd.nextGaussian() * 1e6;
            case DECIMAL -> new BigDecimal(new BigInteger(t.precision() * 3, rnd).subtract(BigInteger.ONE.shiftLeft(t.precision() * 3 - 1)), t.scale());
            case VARCHAR -> randomString(rnd, t.length() == DataType.UNBOUNDED ? 40 : t.length());
            case DATE -> LocalDate.ofEpochDay(rnd.nextInt(60_000) - 20_000);
            case TIMESTAMP -> Values.fromEpochMicros(rnd.nextLong() % 4_000_000_000_000_000L);
            case BYTEA -> {
                byte[] b = new byte[rnd.nextInt(20)];
                rnd.nextBytes(b);
                yield b;
            }
        };
    }

    static String randomString(Random rnd, int maxChars) {
        int n = rnd.nextInt(maxChars + 1);
        StringBuilder sb = new StringBuilder();
        String[] pieces = {"a", "Z", "é", "中", "😀", " ", "x"};
        for (int i = 0; i < n; i++) {
            sb.append(pieces[rnd.nextInt(pieces.length)]);
        }
        return sb.toString();
    }

    /** Writes rows in batches of {@code batchRows}, sliced through write(batch, from, count). */
    static void write(Path file, List<BatchColumn> columns, List<Object[]> rows, ParquetWriteOptions options,
            BufferAllocator allocator) {
        try (ParquetBatchWriter w = ParquetBatchWriter.create(file, columns, options);
                VectorSchemaRoot batch = Batches.fromRows(allocator, columns, rows)) {
            int from = 0;
            int step = 1;
            while (from < rows.size()) {
                int n = Math.min(step, rows.size() - from);
                w.write(batch, from, n);
                from += n;
                step = step * 3 + 1;
            }
            assertEquals(rows.size(), w.rowsWritten());
        }
    }

    static List<Object[]> readAll(ParquetBatchReader r, int[] columns, BufferAllocator allocator) {
        List<Object[]> out = new ArrayList<>();
        for (int g = 0; g < r.rowGroupCount(); g++) {
            try (VectorSchemaRoot b = r.readRowGroup(g, columns, allocator)) {
                assertEquals(r.rowGroupRowCount(g), b.getRowCount());
                out.addAll(Batches.rows(b));
            }
        }
        return out;
    }

    static int[] all(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    @Test
    void everyTypeRoundTripsWithNullsExtremesAndRowGroups() {
        List<Object[]> rows = rows(1000, 42);
        Path file = dir.resolve("all.parquet");
        write(file, COLUMNS, rows, ParquetWriteOptions.defaults().withRowGroupRows(128), allocator);
        try (ParquetBatchReader r = ParquetBatchReader.open(file)) {
            assertEquals(COLUMNS, r.columns(), "types, names and nullability come back, VARCHAR(12) included");
            assertEquals(rows.size(), r.rowCount());
            assertEquals((rows.size() + 127) / 128, r.rowGroupCount());
            long first = 0;
            for (int g = 0; g < r.rowGroupCount(); g++) {
                assertEquals(first, r.rowGroupFirstRow(g));
                first += r.rowGroupRowCount(g);
            }
            assertEquals(DuckDbRows.render(rows), DuckDbRows.render(readAll(r, all(COLUMNS.size()), allocator)));
        }
    }

    @Test
    void projectionReadsTheAskedColumnsInTheAskedOrder() {
        List<Object[]> rows = rows(300, 7);
        Path file = dir.resolve("proj.parquet");
        write(file, COLUMNS, rows, ParquetWriteOptions.defaults().withRowGroupRows(100), allocator);
        int[] cols = {14, 0, 10, 11};
        List<Object[]> expected = new ArrayList<>();
        for (Object[] row : rows) {
            expected.add(new Object[] {row[14], row[0], row[10], row[11]});
        }
        try (ParquetBatchReader r = ParquetBatchReader.open(file)) {
            assertEquals(DuckDbRows.render(expected), DuckDbRows.render(readAll(r, cols, allocator)));
            try (VectorSchemaRoot none = r.readRowGroup(1, new int[0], allocator)) {
                assertEquals(100, none.getRowCount());
                assertEquals(0, none.getFieldVectors().size());
            }
        }
    }

    @Test
    void statisticsArePresentAndRightForEveryTypeAndRowGroup() {
        List<Object[]> rows = rows(700, 11);
        Path file = dir.resolve("stats.parquet");
        write(file, COLUMNS, rows, ParquetWriteOptions.defaults().withRowGroupRows(200), allocator);
        try (ParquetBatchReader r = ParquetBatchReader.open(file)) {
            assertStatistics(r, rows);
        }
    }

    /**
     * Columns named unfiltered are written without statistics (the others keep theirs, exact),
     * and their values still round-trip.
     */
    @Test
    void unfilteredColumnsHaveNoStatisticsAndTheirValuesRoundTrip() {
        List<Object[]> rows = rows(700, 12);
        Path file = dir.resolve("unfiltered.parquet");
        Path full = dir.resolve("full.parquet");
        write(file, COLUMNS, rows, ParquetWriteOptions.defaults().withRowGroupRows(200)
                .withUnfilteredColumns(java.util.Set.of("id", "v")), allocator);
        write(full, COLUMNS, rows, ParquetWriteOptions.defaults().withRowGroupRows(200), allocator);
        try (ParquetBatchReader r = ParquetBatchReader.open(file); ParquetBatchReader f = ParquetBatchReader.open(full)) {
            assertEquals(DuckDbRows.render(rows), DuckDbRows.render(readAll(r, all(COLUMNS.size()), allocator)));
            assertEquals(4, r.rowGroupCount());
            for (int g = 0; g < r.rowGroupCount(); g++) {
                for (int c = 0; c < COLUMNS.size(); c++) {
                    String where = "row group " + g + " column " + COLUMNS.get(c).name();
                    if (c == 0 || c == 11) {
                        assertNull(r.stats(g, c), where);
                        assertNotNull(f.stats(g, c), where);
                    } else {
                        ColumnStats s = r.stats(g, c);
                        ColumnStats expected = f.stats(g, c);
                        assertNotNull(s, where);
                        assertEquals(expected.nullCount(), s.nullCount(), where);
                        assertEquals(DuckDbRows.render(expected.min()), DuckDbRows.render(s.min()), where);
                        assertEquals(DuckDbRows.render(expected.max()), DuckDbRows.render(s.max()), where);
                    }
                }
            }
        }
    }

    /** Every column chunk's statistics are present and equal min/max/null count of {@code rows} (file order). */
    static void assertStatistics(ParquetBatchReader r, List<Object[]> rows) {
        for (int g = 0; g < r.rowGroupCount(); g++) {
            int first = (int) r.rowGroupFirstRow(g);
            int end = first + (int) r.rowGroupRowCount(g);
            for (int c = 0; c < r.columns().size(); c++) {
                DataType t = r.columns().get(c).type();
                Object min = null;
                Object max = null;
                long nulls = 0;
                for (int row = first; row < end; row++) {
                    Object v = rows.get(row)[c];
                    if (v == null) {
                        nulls++;
                        continue;
                    }
                    min = min == null || Values.compare(t, v, min) < 0 ? v : min;
                    max = max == null || Values.compare(t, v, max) > 0 ? v : max;
                }
                ColumnStats s = r.stats(g, c);
                String where = "row group " + g + " column " + r.columns().get(c);
                assertNotNull(s, where);
                assertEquals(min != null, s.hasMinMax(), where);
                assertEquals(nulls, s.nullCount(), where);
                assertEquals(DuckDbRows.render(min), DuckDbRows.render(s.min()), "min of " + where);
                assertEquals(DuckDbRows.render(max), DuckDbRows.render(s.max()), "max of " + where);
            }
        }
    }

    @Test
    void statisticsOfAllNullChunkHaveCountButNoBounds() {
        List<BatchColumn> cols = List.of(new BatchColumn("x", DataType.decimal(30, 2), true));
        List<Object[]> rows = List.of(new Object[] {null}, new Object[] {null});
        Path file = dir.resolve("nulls.parquet");
        write(file, cols, rows, ParquetWriteOptions.defaults(), allocator);
        try (ParquetBatchReader r = ParquetBatchReader.open(file)) {
            ColumnStats s = r.stats(0, 0);
            assertNotNull(s);
            assertEquals(2, s.nullCount());
            assertNull(s.min());
            assertFalse(s.hasMinMax());
        }
    }

    @Test
    void duckDbReadsWhatDuetWroteWithTheSameTypesAndValues() throws SQLException {
        for (ParquetWriteOptions.Compression compression : ParquetWriteOptions.Compression.values()) {
            List<Object[]> rows = rows(2000, 3 + compression.ordinal());
            Path file = dir.resolve("duck-" + compression + ".parquet");
            write(file, COLUMNS, rows, ParquetWriteOptions.defaults().withCompression(compression).withRowGroupRows(500),
                    allocator);
            String sql = "SELECT * FROM read_parquet('" + file + "') ORDER BY id";
            assertEquals(DUCKDB_TYPES, DuckDbRows.types(duck, sql), "DuckDB's view of the column types");
            List<DataType> types = COLUMNS.stream().map(BatchColumn::type).toList();
            assertEquals(DuckDbRows.render(rows), DuckDbRows.render(DuckDbRows.query(duck, sql, types)),
                    "DuckDB's rows of a " + compression + " file");
        }
    }

    @Test
    void filesDuckDbWroteReadBackAsDuckDbQueriesThem() throws SQLException, IOException {
        // The same rows go into a DuckDB table (through a Duet-written file), which DuckDB then
        // writes itself with its own encodings (dictionaries, its decimal widths, its row groups).
        List<Object[]> rows = rows(5000, 99);
        Path ours = dir.resolve("ours.parquet");
        write(ours, COLUMNS, rows, ParquetWriteOptions.defaults(), allocator);
        Path theirs = dir.resolve("theirs.parquet");
        try (var s = duck.createStatement()) {
            s.execute("CREATE TABLE t AS SELECT * FROM read_parquet('" + ours + "')");
            s.execute("COPY t TO '" + theirs + "' (FORMAT parquet, ROW_GROUP_SIZE 2048)");
        }
        List<DataType> types = COLUMNS.stream().map(BatchColumn::type).toList();
        List<Object[]> expected = DuckDbRows.query(duck, "SELECT * FROM t ORDER BY id", types);
        assertEquals(rows.size(), expected.size());
        try (ParquetBatchReader r = ParquetBatchReader.open(theirs)) {
            List<DataType> read = r.columns().stream().map(BatchColumn::type).toList();
            List<DataType> expectedTypes = new ArrayList<>(types);
            expectedTypes.set(11, DataType.TEXT); // DuckDB does not keep VARCHAR lengths
            assertEquals(expectedTypes, read);
            assertTrue(r.rowGroupCount() > 1, "DuckDB wrote several row groups");
            List<Object[]> got = readAll(r, all(COLUMNS.size()), allocator);
            assertStatistics(r, got); // DuckDB's statistics, in its encodings, read as the data says
            got.sort((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
            assertEquals(DuckDbRows.render(expected), DuckDbRows.render(got));
        }
    }

    @Test
    void duckDbFileWithOtherIntegerWidthsAndTimestampUnits() throws SQLException {
        Path file = dir.resolve("widths.parquet");
        try (var s = duck.createStatement()) {
            s.execute("COPY (SELECT range::TINYINT AS ti, (range * 1000)::UINTEGER AS ui, range::USMALLINT AS us,"
                    + " ('2024-01-01'::TIMESTAMP + range * INTERVAL 1 SECOND)::TIMESTAMP_MS AS tms,"
                    + " ('2024-01-01'::TIMESTAMP + range * INTERVAL 1 SECOND)::TIMESTAMP_NS AS tns,"
                    + " CASE WHEN range % 3 = 0 THEN NULL ELSE range END AS maybe"
                    + " FROM range(100)) TO '" + file + "' (FORMAT parquet)");
        }
        List<DataType> types = List.of(DataType.SMALLINT, DataType.BIGINT, DataType.INTEGER, DataType.TIMESTAMP,
                DataType.TIMESTAMP, DataType.BIGINT);
        List<Object[]> expected = DuckDbRows.query(duck,
                "SELECT ti, ui, us, tms::TIMESTAMP, tns::TIMESTAMP, maybe FROM read_parquet('" + file + "')", types);
        try (ParquetBatchReader r = ParquetBatchReader.open(file)) {
            assertEquals(types, r.columns().stream().map(BatchColumn::type).toList());
            assertEquals(DuckDbRows.render(expected), DuckDbRows.render(readAll(r, all(types.size()), allocator)));
        }
    }

    @Test
    void unsupportedColumnTypesFailWith0A000NamingTheColumn() throws SQLException {
        Path file = dir.resolve("list.parquet");
        try (var s = duck.createStatement()) {
            s.execute("COPY (SELECT 1 AS ok, [1, 2] AS tags) TO '" + file + "' (FORMAT parquet)");
        }
        DuetException e = assertThrows(DuetException.class, () -> ParquetBatchReader.open(file));
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
        assertTrue(e.getMessage().contains("\"tags\""), e.getMessage());
        Path time = dir.resolve("time.parquet");
        try (var s = duck.createStatement()) {
            s.execute("COPY (SELECT TIME '10:00' AS at) TO '" + time + "' (FORMAT parquet)");
        }
        e = assertThrows(DuetException.class, () -> ParquetBatchReader.open(time));
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
        assertTrue(e.getMessage().contains("\"at\""), e.getMessage());
    }

    @Test
    void fileErrorsHaveTheirSqlStates() throws IOException {
        DuetException e = assertThrows(DuetException.class,
                () -> ParquetBatchReader.open(dir.resolve("missing.parquet")));
        assertEquals(SqlState.UNDEFINED_FILE, e.state());
        Path text = Files.writeString(dir.resolve("notes.txt"), "not parquet at all, just some text");
        e = assertThrows(DuetException.class, () -> ParquetBatchReader.open(text));
        assertEquals(SqlState.BAD_COPY_FILE_FORMAT, e.state());
        e = assertThrows(DuetException.class,
                () -> ParquetBatchWriter.create(dir.resolve("no/such/dir/x.parquet"), COLUMNS, ParquetWriteOptions.defaults()));
        assertEquals(SqlState.UNDEFINED_FILE, e.state());
        e = assertThrows(DuetException.class, () -> ParquetBatchWriter.create(text, COLUMNS, ParquetWriteOptions.defaults()));
        assertEquals(SqlState.DUPLICATE_FILE, e.state());
        e = assertThrows(DuetException.class, () -> ParquetWriteOptions.Compression.parse("lz4"));
        assertEquals(SqlState.INVALID_PARAMETER_VALUE, e.state());
    }

    @Test
    void overwriteReplacesAndAbortLeavesNothing() throws IOException {
        Path file = dir.resolve("x.parquet");
        List<Object[]> first = rows(10, 1);
        write(file, COLUMNS, first, ParquetWriteOptions.defaults(), allocator);
        List<Object[]> second = rows(3, 2);
        write(file, COLUMNS, second, ParquetWriteOptions.defaults().withOverwrite(true), allocator);
        try (ParquetBatchReader r = ParquetBatchReader.open(file)) {
            assertEquals(second.size(), r.rowCount());
        }
        Path aborted = dir.resolve("aborted.parquet");
        try (ParquetBatchWriter w = ParquetBatchWriter.create(aborted, COLUMNS, ParquetWriteOptions.defaults());
                VectorSchemaRoot batch = Batches.fromRows(allocator, COLUMNS, first)) {
            w.write(batch);
            w.abort();
        }
        assertFalse(Files.exists(aborted));
        try (var listing = Files.list(dir)) {
            assertEquals(List.of("x.parquet"), listing.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("notes.txt")).sorted().toList(), "no temporary file is left behind");
        }
    }

    @Test
    void nullInNotNullColumnFailsWith23502AndWritesNothingOfTheCall() {
        Path file = dir.resolve("nn.parquet");
        List<Object[]> rows = rows(5, 1);
        rows.get(3)[0] = null;
        try (ParquetBatchWriter w = ParquetBatchWriter.create(file, COLUMNS, ParquetWriteOptions.defaults());
                VectorSchemaRoot batch = Batches.fromRows(allocator, COLUMNS, rows)) {
            w.write(batch, 0, 3);
            DuetException e = assertThrows(DuetException.class, () -> w.write(batch));
            assertEquals(SqlState.NOT_NULL_VIOLATION, e.state());
            assertEquals(3, w.rowsWritten());
            w.write(batch, 4, 1);
        }
        try (ParquetBatchReader r = ParquetBatchReader.open(file)) {
            assertEquals(4, r.rowCount());
        }
    }

    @Test
    void userMetadataIsKeptAndDuplicateNamesAreRefused() {
        Path file = dir.resolve("meta.parquet");
        List<BatchColumn> cols = List.of(new BatchColumn("a", DataType.INTEGER, true));
        try (ParquetBatchWriter w = ParquetBatchWriter.create(file, cols, ParquetWriteOptions.defaults(),
                Map.of("segment", "17"))) {
            assertEquals(0, w.rowsWritten());
        }
        try (ParquetBatchReader r = ParquetBatchReader.open(file)) {
            assertEquals("17", r.metadata().get("segment"));
            assertEquals(0, r.rowCount());
            assertEquals(0, r.rowGroupCount());
        }
        DuetException e = assertThrows(DuetException.class, () -> ParquetBatchWriter.create(dir.resolve("dup.parquet"),
                List.of(cols.get(0), cols.get(0)), ParquetWriteOptions.defaults()));
        assertEquals(SqlState.DUPLICATE_COLUMN, e.state());
    }

    @Test
    void duckDbFilesOfEveryCodecReadBack() throws SQLException {
        List<DataType> types = List.of(DataType.BIGINT, DataType.TEXT, DataType.decimal(18, 3));
        for (String codec : List.of("uncompressed", "snappy", "gzip", "zstd", "lz4_raw", "lz4")) {
            Path file = dir.resolve("codec-" + codec + ".parquet");
            try (var s = duck.createStatement()) {
                s.execute("COPY (SELECT range AS id, 'text ' || (range % 97) AS t, (range / 7)::DECIMAL(18,3) AS d"
                        + " FROM range(5000)) TO '" + file + "' (FORMAT parquet, COMPRESSION " + codec + ")");
            }
            List<Object[]> expected = DuckDbRows.query(duck, "SELECT * FROM read_parquet('" + file + "') ORDER BY id",
                    types);
            try (ParquetBatchReader r = ParquetBatchReader.open(file)) {
                List<Object[]> got = readAll(r, all(3), allocator);
                got.sort((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
                assertEquals(DuckDbRows.render(expected), DuckDbRows.render(got), codec);
            }
        }
    }

    @Test
    void codecWithoutJavaImplementationFailsWith0A000() throws SQLException {
        Path file = dir.resolve("brotli.parquet");
        try (var s = duck.createStatement()) {
            s.execute("COPY (SELECT range AS id FROM range(10)) TO '" + file + "' (FORMAT parquet, COMPRESSION brotli)");
        }
        try (ParquetBatchReader r = ParquetBatchReader.open(file)) {
            DuetException e = assertThrows(DuetException.class, () -> r.readRowGroup(0, new int[] {0}, allocator));
            assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state(), e.toString());
            assertTrue(e.getMessage().contains("BROTLI"), e.getMessage());
        }
    }
}
