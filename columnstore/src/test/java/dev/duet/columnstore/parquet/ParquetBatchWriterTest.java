package dev.duet.columnstore.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.types.DataType;
import dev.duet.core.types.Values;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;

/**
 * The column-at-a-time page encoding of {@link ParquetBatchWriter}: values of every type across
 * several pages and row groups (NULLs, NaN, both zeros, empty and long strings, decimals of both
 * signs at each physical width, a value larger than a page) read back by Duet and by DuckDB, and
 * each row group's statistics equal to the ones computed from the values with parquet-java's
 * rules.
 */
class ParquetBatchWriterTest extends ParquetFileTest {
    static final List<BatchColumn> COLUMNS = ParquetRoundTripTest.COLUMNS;
    static final int REAL = 5;
    static final int DOUBLE = 6;
    static final int VARCHAR = 11;
    static final int TEXT = 12;
    static final int BYTEA = 15;
    /** Rows per row group: the first pages are full ({@link PageEncoder#PAGE_ROWS}), the next ones not. */
    static final int ROW_GROUP_ROWS = 30_000;
    static final int ROWS = 70_000;

    /**
     * {@link ParquetRoundTripTest#rows} (extremes, random values of both signs, one NULL in five)
     * with NaN, -0.0 and +0.0, empty strings and bytes and long strings and bytes sprinkled in; the
     * last row group's REAL column holds only NaN and NULL, its DOUBLE column only zeros of both
     * signs and NULL, and its strings and bytes are never empty.
     */
    static List<Object[]> rows() {
        List<Object[]> rows = ParquetRoundTripTest.rows(ROWS - 4, 17);
        Random rnd = new Random(17);
        for (int r = 4; r < rows.size(); r++) {
            Object[] row = rows.get(r);
            switch (rnd.nextInt(30)) {
                case 0 -> {
                    row[REAL] = Float.NaN;
                    row[DOUBLE] = Double.NaN;
                }
                case 1 -> {
                    row[REAL] = -0.0f;
                    row[DOUBLE] = -0.0;
                }
                case 2 -> {
                    row[REAL] = 0.0f;
                    row[DOUBLE] = 0.0;
                }
                case 3 -> {
                    row[TEXT] = "";
                    row[BYTEA] = new byte[0];
                }
                case 4 -> {
                    row[TEXT] = ParquetRoundTripTest.randomString(rnd, 1000);
                    byte[] b = new byte[rnd.nextInt(3000)];
                    rnd.nextBytes(b);
                    row[BYTEA] = b;
                }
                default -> {
                    // the random row as it is
                }
            }
            if (r >= 2 * ROW_GROUP_ROWS) {
                for (int c : new int[] {VARCHAR, TEXT}) { // bounds other than the empty string
                    if ("".equals(row[c])) {
                        row[c] = "é";
                    }
                }
                if (row[BYTEA] instanceof byte[] b && b.length == 0) {
                    row[BYTEA] = new byte[] {(byte) 0x90};
                }
                row[REAL] = rnd.nextBoolean() ? null : Float.NaN;
                row[DOUBLE] = rnd.nextInt(3) == 0 ? null : rnd.nextBoolean() ? 0.0 : -0.0;
            }
        }
        return rows;
    }

    Path writeAll(List<Object[]> rows, ParquetWriteOptions options) {
        Path file = dir.resolve("all-" + System.nanoTime() + ".parquet");
        ParquetRoundTripTest.write(file, COLUMNS, rows, options, allocator);
        return file;
    }

    @Test
    void everyTypeRoundTripsAcrossPagesAndRowGroupsAndDuckDbReadsTheSame() throws SQLException, IOException {
        List<Object[]> rows = rows();
        Path file = writeAll(rows, ParquetWriteOptions.defaults().withRowGroupRows(ROW_GROUP_ROWS));
        for (String column : List.of("id", "b", "d38", "v")) {
            List<List<Integer>> pages = PlainChunkDecoderTest.pageStarts(file, column);
            assertEquals(3, pages.size(), "row groups of " + column);
            assertEquals(List.of(0, PageEncoder.PAGE_ROWS, ROW_GROUP_ROWS), pages.get(0), "pages of " + column);
        }
        List<Integer> longStrings = PlainChunkDecoderTest.pageStarts(file, "t").get(0);
        assertTrue(longStrings.size() >= 3 && longStrings.get(1) < PageEncoder.PAGE_ROWS,
                "pages of long strings end at their byte budget: " + longStrings);
        try (ParquetBatchReader r = ParquetBatchReader.open(file)) {
            assertEquals(COLUMNS, r.columns());
            for (int g = 0; g < r.rowGroupCount(); g++) {
                for (int c = 0; c < COLUMNS.size(); c++) {
                    assertTrue(r.plainChunk(g, c), "row group " + g + " column " + c + " is PLAIN");
                }
            }
            PlainChunkDecoderTest.assertSameRows(rows,
                    ParquetRoundTripTest.readAll(r, ParquetRoundTripTest.all(COLUMNS.size()), allocator), "Duet's reading");
        }
        List<DataType> types = COLUMNS.stream().map(BatchColumn::type).toList();
        PlainChunkDecoderTest.assertSameRows(rows,
                DuckDbRows.query(duck, "SELECT * FROM read_parquet('" + file + "') ORDER BY id", types), "DuckDB's reading");
    }

    @Test
    void statisticsOfEveryRowGroupAreTheOnesOfItsValues() {
        List<Object[]> rows = rows();
        Path file = writeAll(rows, ParquetWriteOptions.defaults().withRowGroupRows(ROW_GROUP_ROWS));
        try (ParquetBatchReader r = ParquetBatchReader.open(file)) {
            assertEquals(3, r.rowGroupCount());
            assertNaiveStatistics(r, rows);
            ColumnStats nanOnly = r.stats(2, REAL);
            assertFalse(nanOnly.hasMinMax(), "NaN is never a bound: " + nanOnly);
            ColumnStats zeros = r.stats(2, DOUBLE);
            assertEquals(DuckDbRows.render(-0.0), DuckDbRows.render(zeros.min()));
            assertEquals(DuckDbRows.render(0.0), DuckDbRows.render(zeros.max()));
        }
    }

    /**
     * Each row group's statistics equal min/max/null count of its values as parquet-java orders
     * them: NaN left out, a zero minimum as -0.0 and a zero maximum as +0.0; byte-array bounds
     * that add up to 4 KB or more leave the row group without statistics (parquet-java's footer
     * limit).
     */
    static void assertNaiveStatistics(ParquetBatchReader r, List<Object[]> rows) {
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
                    if (v instanceof Float f && f.isNaN() || v instanceof Double d && d.isNaN()) {
                        continue;
                    }
                    min = min == null || Values.compare(t, v, min) < 0 ? v : min;
                    max = max == null || Values.compare(t, v, max) > 0 ? v : max;
                }
                if (min instanceof Float f && f == 0) {
                    min = -0.0f;
                }
                if (max instanceof Float f && f == 0) {
                    max = 0.0f;
                }
                if (min instanceof Double d && d == 0) {
                    min = -0.0;
                }
                if (max instanceof Double d && d == 0) {
                    max = 0.0;
                }
                ColumnStats s = r.stats(g, c);
                String where = "row group " + g + " column " + r.columns().get(c);
                if (min != null && bytes(min) + bytes(max) >= 4096) {
                    assertNull(s, "parquet-java keeps no statistics at all over 4 KB: " + where);
                    continue;
                }
                assertNotNull(s, where);
                assertEquals(nulls, s.nullCount(), "null count of " + where);
                assertEquals(DuckDbRows.render(min), DuckDbRows.render(s.min()), "min of " + where);
                assertEquals(DuckDbRows.render(max), DuckDbRows.render(s.max()), "max of " + where);
            }
        }
    }

    private static int bytes(Object v) {
        if (v instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8).length;
        }
        if (v instanceof byte[] b) {
            return b.length;
        }
        return 0;
    }

    @Test
    void decimalsOfEveryPhysicalWidthKeepTheirSignsAndOrder() throws SQLException {
        List<BatchColumn> cols = List.of(new BatchColumn("id", DataType.BIGINT, false),
                new BatchColumn("d4", DataType.decimal(4, 1), true), new BatchColumn("d9", DataType.decimal(9, 0), false),
                new BatchColumn("d10", DataType.decimal(10, 3), true), new BatchColumn("d18", DataType.decimal(18, 18), true),
                new BatchColumn("d19", DataType.decimal(19, 2), true), new BatchColumn("d28", DataType.decimal(28, 5), true),
                new BatchColumn("d38", DataType.decimal(38, 0), false));
        Random rnd = new Random(5);
        List<Object[]> rows = new ArrayList<>();
        for (int r = 0; r < 5000; r++) {
            Object[] row = new Object[cols.size()];
            row[0] = (long) r;
            for (int c = 1; c < cols.size(); c++) {
                DataType t = cols.get(c).type();
                BigDecimal v = (BigDecimal) ParquetRoundTripTest.randomValue(rnd, t);
                if (r < 8) { // every column's extremes, and values next to zero of both signs
                    BigDecimal top = BigDecimal.TEN.pow(t.precision()).subtract(BigDecimal.ONE).movePointLeft(t.scale());
                    BigDecimal unit = BigDecimal.ONE.movePointLeft(t.scale());
                    v = List.of(top, top.negate(), unit, unit.negate(), BigDecimal.ZERO.setScale(t.scale()),
                            unit.negate().multiply(BigDecimal.valueOf(256)), top.subtract(unit),
                            top.negate().add(unit)).get(r);
                }
                row[c] = cols.get(c).nullable() && rnd.nextInt(6) == 0 ? null : v;
            }
            rows.add(row);
        }
        Path file = dir.resolve("decimals.parquet");
        ParquetRoundTripTest.write(file, cols, rows, ParquetWriteOptions.defaults().withRowGroupRows(1500), allocator);
        try (ParquetBatchReader r = ParquetBatchReader.open(file)) {
            assertEquals(cols, r.columns());
            PlainChunkDecoderTest.assertSameRows(rows, ParquetRoundTripTest.readAll(r, ParquetRoundTripTest.all(cols.size()),
                    allocator), "Duet's reading");
            assertNaiveStatistics(r, rows);
        }
        PlainChunkDecoderTest.assertSameRows(rows, DuckDbRows.query(duck, "SELECT * FROM read_parquet('" + file
                + "') ORDER BY id", cols.stream().map(BatchColumn::type).toList()), "DuckDB's reading");
    }

    @Test
    void aValueLargerThanAPageGetsAPageOfItsOwn() throws SQLException, IOException {
        List<BatchColumn> cols = List.of(new BatchColumn("id", DataType.BIGINT, false),
                new BatchColumn("t", DataType.TEXT, true));
        String huge = "Z".repeat(PageEncoder.PAGE_BYTES + 12345);
        List<Object[]> rows = new ArrayList<>();
        for (int r = 0; r < 300; r++) {
            rows.add(new Object[] {(long) r, r == 100 ? huge : r % 9 == 0 ? null : "row " + r + " " + "x".repeat(r % 40)});
        }
        rows.add(new Object[] {300L, huge + huge});
        Path file = dir.resolve("huge.parquet");
        ParquetRoundTripTest.write(file, cols, rows, ParquetWriteOptions.defaults(), allocator);
        assertEquals(List.of(List.of(0, 100, 101, 300, 301)), PlainChunkDecoderTest.pageStarts(file, "t"),
                "a page ends before and after the value larger than a page");
        try (ParquetBatchReader r = ParquetBatchReader.open(file)) {
            PlainChunkDecoderTest.assertSameRows(rows, ParquetRoundTripTest.readAll(r, new int[] {0, 1}, allocator),
                    "Duet's reading");
            assertNaiveStatistics(r, rows);
        }
        PlainChunkDecoderTest.assertSameRows(rows, DuckDbRows.query(duck, "SELECT * FROM read_parquet('" + file
                + "') ORDER BY id", List.of(DataType.BIGINT, DataType.TEXT)), "DuckDB's reading");
    }

    @Test
    void everyZstdLevelWritesWhatReadsBackAndOthersAreRefused() throws SQLException {
        List<Object[]> rows = ParquetRoundTripTest.rows(3000, 23);
        List<DataType> types = COLUMNS.stream().map(BatchColumn::type).toList();
        for (int level : new int[] {1, 3, 12}) {
            Path file = writeAll(rows, ParquetWriteOptions.defaults().withRowGroupRows(1000).withZstdLevel(level));
            try (ParquetBatchReader r = ParquetBatchReader.open(file)) {
                PlainChunkDecoderTest.assertSameRows(rows, ParquetRoundTripTest.readAll(r,
                        ParquetRoundTripTest.all(COLUMNS.size()), allocator), "level " + level);
            }
            PlainChunkDecoderTest.assertSameRows(rows, DuckDbRows.query(duck, "SELECT * FROM read_parquet('" + file
                    + "') ORDER BY id", types), "DuckDB's reading of level " + level);
        }
        assertThrows(IllegalArgumentException.class, () -> ParquetWriteOptions.defaults().withZstdLevel(0));
        assertThrows(IllegalArgumentException.class, () -> ParquetWriteOptions.defaults().withZstdLevel(23));
    }

    /** A write step holds at most {@link ParquetBatchWriter#STEP_BYTES} of a column's values (or one row). */
    @Test
    void aWriteStepOfLongValuesStopsAtItsByteBound() {
        List<BatchColumn> cols = List.of(new BatchColumn("t", DataType.TEXT, true), new BatchColumn("l", DataType.BIGINT, true));
        List<Object[]> rows = new ArrayList<>();
        for (int r = 0; r < 10; r++) {
            rows.add(new Object[] {r == 7 ? null : "x".repeat(1000), (long) r});
        }
        MessageType schema = ParquetTypes.schema(cols);
        CodecFactory codecs = new CodecFactory(new Configuration(false), PageEncoder.PAGE_BYTES);
        try (VectorSchemaRoot batch = Batches.fromRows(allocator, cols, rows)) {
            PageEncoder text = PageEncoder.of(cols.get(0), schema.getColumns().get(0),
                    codecs.getCompressor(CompressionCodecName.UNCOMPRESSED), true);
            PageEncoder longs = PageEncoder.of(cols.get(1), schema.getColumns().get(1),
                    codecs.getCompressor(CompressionCodecName.UNCOMPRESSED), true);
            text.bind(batch.getVector(0));
            longs.bind(batch.getVector(1));
            assertEquals(4, text.rowsWithin(0, 10, 5000), "4 values of 1,004 bytes");
            assertEquals(5, text.rowsWithin(5, 5, 4020), "a NULL has no value bytes (4 per row are counted)");
            assertEquals(1, text.rowsWithin(0, 10, 10), "one row at least");
            assertEquals(10, text.rowsWithin(0, 10, 1 << 20));
            assertEquals(10, longs.rowsWithin(0, 10, 10), "fixed-width values are bounded by rows");
        } finally {
            codecs.release();
        }
    }
}
