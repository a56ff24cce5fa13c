package dev.duet.columnstore.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.types.DataType;
import dev.duet.core.types.Values;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;

/**
 * {@link PlainChunkDecoder} against the rows written and against DuckDB reading the same file:
 * every Duet type, NULLs in all-NULL pages, NULL-free pages and runs of every length, NOT NULL
 * columns, several pages per column chunk (starting at rows that are not multiples of 8) and
 * several row groups, empty strings, and files of another writer (v1 and v2 pages, unsigned and
 * narrow integers, timestamps in millis and nanos, DECIMAL on BINARY, FIXED_LEN_BYTE_ARRAY).
 */
class PlainChunkDecoderTest extends ParquetFileTest {
    static final int ROWS = 100_000;
    /** Rows [ALL_NULL_FROM, NO_NULL_FROM) are NULL in every nullable column, [NO_NULL_FROM, MIXED_FROM) in none. */
    static final int ALL_NULL_FROM = 4;
    static final int NO_NULL_FROM = 45_003;
    static final int MIXED_FROM = 80_001;

    static List<BatchColumn> columns() {
        List<BatchColumn> columns = new ArrayList<>(ParquetRoundTripTest.COLUMNS);
        columns.add(new BatchColumn("i_nn", DataType.INTEGER, false));
        columns.add(new BatchColumn("t_nn", DataType.TEXT, false));
        columns.add(new BatchColumn("d_nn", DataType.decimal(18, 2), false));
        columns.add(new BatchColumn("b_nn", DataType.BOOLEAN, false));
        columns.add(new BatchColumn("dt_nn", DataType.DATE, false));
        columns.add(new BatchColumn("big", DataType.TEXT, true)); // long values: pages end at odd rows
        return columns;
    }

    /**
     * The extremes of {@link ParquetRoundTripTest#rows} first, then the three regions; in the mixed
     * one NULLs come in runs of 1 to 30 rows, so that definition levels hold both RLE runs and
     * bit-packed groups.
     */
    static List<Object[]> rows(List<BatchColumn> columns) {
        List<Object[]> extremes = ParquetRoundTripTest.rows(0, 1);
        Random rnd = new Random(7);
        List<Object[]> rows = new ArrayList<>(ROWS);
        boolean[] nullRun = new boolean[columns.size()];
        int[] runLeft = new int[columns.size()];
        for (int r = 0; r < ROWS; r++) {
            Object[] row = new Object[columns.size()];
            row[0] = (long) r;
            for (int c = 1; c < row.length; c++) {
                BatchColumn col = columns.get(c);
                if (r < extremes.size() && c < extremes.get(r).length) {
                    row[c] = extremes.get(r)[c];
                    continue;
                }
                boolean isNull;
                if (!col.nullable() || r < ALL_NULL_FROM || (r >= NO_NULL_FROM && r < MIXED_FROM)) {
                    isNull = false;
                } else if (r < NO_NULL_FROM) {
                    isNull = true;
                } else {
                    if (runLeft[c] == 0) {
                        nullRun[c] = rnd.nextBoolean();
                        runLeft[c] = 1 + rnd.nextInt(30);
                    }
                    runLeft[c]--;
                    isNull = nullRun[c];
                }
                if (!isNull) {
                    row[c] = col.name().equals("big") ? ParquetRoundTripTest.randomString(rnd, 400)
                            : ParquetRoundTripTest.randomValue(rnd, col.type());
                }
            }
            rows.add(row);
        }
        return rows;
    }

    @Test
    void segmentFilesDecodeInBulkAsWrittenAndAsDuckDbReadsThem() throws SQLException, IOException {
        List<BatchColumn> columns = columns();
        List<Object[]> rows = rows(columns);
        Path file = dir.resolve("plain.parquet");
        ParquetRoundTripTest.write(file, columns, rows,
                ParquetWriteOptions.defaults().withRowGroupRows(60_000), allocator);
        List<List<Integer>> intPages = pageStarts(file, "i");
        List<List<Integer>> bigPages = pageStarts(file, "big");
        assertEquals(2, intPages.size(), "two row groups");
        assertTrue(intPages.get(0).size() >= 3, "several pages per chunk: " + intPages);
        assertTrue(hasPageWithin(intPages.get(0), ALL_NULL_FROM, NO_NULL_FROM), "an all-NULL page: " + intPages);
        assertTrue(hasPageWithin(intPages.get(1), NO_NULL_FROM - 60_000, MIXED_FROM - 60_000),
                "a page without NULLs: " + intPages);
        assertTrue(bigPages.stream().flatMap(List::stream).anyMatch(s -> s % 8 != 0),
                "a page starting at a row that is not a multiple of 8: " + bigPages);
        try (ParquetBatchReader r = ParquetBatchReader.open(file)) {
            assertEquals(columns, r.columns());
            for (int g = 0; g < r.rowGroupCount(); g++) {
                for (int c = 0; c < columns.size(); c++) {
                    assertTrue(r.plainChunk(g, c), "column " + columns.get(c).name() + " decodes in bulk");
                }
            }
            List<Object[]> got = ParquetRoundTripTest.readAll(r, ParquetRoundTripTest.all(columns.size()), allocator);
            assertSameRows(rows, got, "the rows written");
            List<DataType> types = columns.stream().map(BatchColumn::type).toList();
            List<Object[]> duckRows = DuckDbRows.query(duck,
                    "SELECT * FROM read_parquet('" + file + "') ORDER BY id", types);
            assertSameRows(duckRows, got, "DuckDB's reading of the file");

            // a projection in another order, mixing fixed- and variable-width, NULL and NOT NULL
            int[] some = {19, 12, 17, 8, 0};
            List<Object[]> projected = ParquetRoundTripTest.readAll(r, some, allocator);
            for (int i = 0; i < rows.size(); i += 997) {
                for (int k = 0; k < some.length; k++) {
                    assertEquals(DuckDbRows.render(rows.get(i)[some[k]]), DuckDbRows.render(projected.get(i)[k]));
                }
            }
        }
    }

    /**
     * Duet writes PLAIN pages only; DuckDB, copying a Duet file, dictionary-encodes columns of few
     * distinct values, and those chunks read through parquet-java's column reader.
     */
    @Test
    void dictionaryChunksStillReadThroughParquetJava() throws SQLException {
        List<BatchColumn> columns = ParquetRoundTripTest.COLUMNS;
        List<Object[]> rows = ParquetRoundTripTest.rows(3000, 5);
        for (int r = 0; r < rows.size(); r++) {
            rows.get(r)[3] = r % 7 == 0 ? null : r % 10; // few distinct values: a dictionary is kept
        }
        Path ours = dir.resolve("plain-for-dict.parquet");
        ParquetRoundTripTest.write(ours, columns, rows, ParquetWriteOptions.defaults().withRowGroupRows(1000),
                allocator);
        Path file = dir.resolve("dict.parquet");
        try (var s = duck.createStatement()) {
            s.execute("SET threads = 1");
            s.execute("COPY (SELECT * FROM read_parquet('" + ours + "') ORDER BY id) TO '" + file
                    + "' (FORMAT parquet)");
        }
        try (ParquetBatchReader r = ParquetBatchReader.open(file)) {
            assertFalse(r.plainChunk(0, 3), "a dictionary-encoded INTEGER chunk");
            assertSameRows(rows, ParquetRoundTripTest.readAll(r, ParquetRoundTripTest.all(columns.size()), allocator),
                    "the rows written");
            try (ParquetBatchReader again = ParquetBatchReader.open(file, r.footer())) {
                assertEquals(r.columns(), again.columns());
                assertEquals(r.rowGroupCount(), again.rowGroupCount());
                assertSameRows(rows, ParquetRoundTripTest.readAll(again, ParquetRoundTripTest.all(columns.size()),
                        allocator), "reopened with the footer read before");
            }
        }
    }

    static final MessageType FOREIGN = Types.buildMessage()
            .required(PrimitiveTypeName.INT64).named("id")
            .optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.intType(8, true)).named("i8")
            .optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.intType(32, false)).named("u32")
            .optional(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MILLIS)).named("tms")
            .optional(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.NANOS)).named("tns")
            .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.decimalType(5, 30)).named("dbin")
            .optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY).length(5).named("flba")
            .optional(PrimitiveTypeName.FLOAT).named("f")
            .required(PrimitiveTypeName.DOUBLE).named("dd")
            .optional(PrimitiveTypeName.DOUBLE).named("dopt")
            .optional(PrimitiveTypeName.BOOLEAN).named("bool")
            .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("s")
            .named("foreign");

    static final List<DataType> FOREIGN_TYPES = List.of(DataType.BIGINT, DataType.SMALLINT, DataType.BIGINT,
            DataType.TIMESTAMP, DataType.TIMESTAMP, DataType.decimal(30, 5), DataType.BYTEA, DataType.REAL,
            DataType.DOUBLE, DataType.DOUBLE, DataType.BOOLEAN, DataType.TEXT);

    /** Writes {@code rows} foreign rows with parquet-java's example writer; returns the rows as Duet values. */
    List<Object[]> writeForeign(Path file, WriterVersion version, int rows) throws IOException {
        Random rnd = new Random(version.ordinal());
        SimpleGroupFactory groups = new SimpleGroupFactory(FOREIGN);
        List<Object[]> expected = new ArrayList<>();
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withType(FOREIGN).withConf(new PlainParquetConfiguration()).withWriterVersion(version)
                .withDictionaryEncoding(false).withPageRowCountLimit(999).withRowGroupRowCountLimit(4000).build()) {
            for (int r = 0; r < rows; r++) {
                Group g = groups.newGroup();
                Object[] row = new Object[FOREIGN_TYPES.size()];
                g.add("id", (long) r);
                row[0] = (long) r;
                boolean allNull = r >= 1000 && r < 3000; // pages of nothing but NULLs
                boolean noNull = r >= 5000 && r < 7000;
                for (int c = 1; c < row.length; c++) {
                    String name = FOREIGN.getType(c).getName();
                    if (!name.equals("dd") && (allNull || !noNull && rnd.nextInt(4) == 0)) {
                        continue;
                    }
                    switch (name) {
                        case "i8" -> {
                            int v = rnd.nextInt(256) - 128;
                            g.add(name, v);
                            row[c] = (short) v;
                        }
                        case "u32" -> {
                            int v = rnd.nextInt();
                            g.add(name, v);
                            row[c] = Integer.toUnsignedLong(v);
                        }
                        case "tms" -> {
                            long v = rnd.nextLong() % 4_000_000_000_000L;
                            g.add(name, v);
                            row[c] = Values.fromEpochMicros(v * 1000);
                        }
                        case "tns" -> {
                            long v = rnd.nextLong();
                            g.add(name, v);
                            row[c] = Values.fromEpochMicros(Math.floorDiv(v, 1000));
                        }
                        case "dbin" -> {
                            BigInteger v = new BigInteger(95, rnd).subtract(BigInteger.ONE.shiftLeft(94));
                            g.add(name, Binary.fromConstantByteArray(v.toByteArray()));
                            row[c] = new BigDecimal(v, 5);
                        }
                        case "flba" -> {
                            byte[] v = new byte[5];
                            rnd.nextBytes(v);
                            g.add(name, Binary.fromConstantByteArray(v));
                            row[c] = v;
                        }
                        case "f" -> {
                            float v = (float) rnd.nextGaussian();
                            g.add(name, v);
                            row[c] = v;
                        }
                        case "dd", "dopt" -> {
                            double v = rnd.nextGaussian() * 1e9;
                            g.add(name, v);
                            row[c] = v;
                        }
                        case "bool" -> {
                            boolean v = rnd.nextBoolean();
                            g.add(name, v);
                            row[c] = v;
                        }
                        case "s" -> {
                            String v = ParquetRoundTripTest.randomString(rnd, 6); // empty strings included
                            g.add(name, v);
                            row[c] = v;
                        }
                        default -> throw new IllegalStateException(name);
                    }
                }
                w.write(g);
                expected.add(row);
            }
        }
        return expected;
    }

    @Test
    void otherWritersFilesOfV1AndV2PagesDecodeLikeDuckDbReadsThem() throws IOException, SQLException {
        for (WriterVersion version : WriterVersion.values()) {
            Path file = dir.resolve("foreign-" + version + ".parquet");
            List<Object[]> expected = writeForeign(file, version, 9000);
            assertTrue(pageStarts(file, "f").stream().flatMap(List::stream).anyMatch(s -> s % 8 != 0),
                    "pages starting at rows that are not multiples of 8");
            try (ParquetBatchReader r = ParquetBatchReader.open(file)) {
                assertEquals(FOREIGN_TYPES, r.columns().stream().map(BatchColumn::type).toList());
                assertTrue(r.plainChunk(0, 8), version + ": PLAIN DOUBLE decodes in bulk");
                if (version == WriterVersion.PARQUET_1_0) {
                    for (int c = 0; c < FOREIGN_TYPES.size(); c++) {
                        assertTrue(r.plainChunk(0, c), "v1 column " + c + " decodes in bulk");
                    }
                } else {
                    assertFalse(r.plainChunk(0, 0), "v2 writes INT64 as DELTA_BINARY_PACKED");
                }
                List<Object[]> got = ParquetRoundTripTest.readAll(r, ParquetRoundTripTest.all(FOREIGN_TYPES.size()),
                        allocator);
                assertSameRows(expected, got, version + ": the rows written");
                // DuckDB keeps nanoseconds: it hands them over as a number, floored to micros here as Duet does
                List<DataType> duckTypes = new ArrayList<>(FOREIGN_TYPES);
                duckTypes.set(4, DataType.BIGINT);
                List<Object[]> duckRows = DuckDbRows.query(duck, "SELECT id, i8, u32, tms, epoch_ns(tns), dbin, flba,"
                        + " f, dd, dopt, bool, s FROM read_parquet('" + file + "') ORDER BY id", duckTypes);
                for (Object[] row : duckRows) {
                    row[4] = row[4] == null ? null : Values.fromEpochMicros(Math.floorDiv((Long) row[4], 1000));
                }
                assertSameRows(duckRows, got, version + ": DuckDB's reading");
            }
        }
    }

    /** Equal row counts and rows, naming the first row that differs rather than printing them all. */
    static void assertSameRows(List<Object[]> expected, List<Object[]> actual, String what) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(DuckDbRows.render(expected.get(i)), DuckDbRows.render(actual.get(i)), what + ", row " + i);
        }
        assertEquals(expected.size(), actual.size(), what + ": rows");
    }

    private static boolean hasPageWithin(List<Integer> starts, int from, int to) {
        for (int i = 0; i + 1 < starts.size(); i++) {
            if (starts.get(i) >= from && starts.get(i + 1) <= to) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first row (within its row group) of every page of column {@code name}, per row group,
     * with the row group's row count last.
     */
    static List<List<Integer>> pageStarts(Path file, String name) throws IOException {
        List<List<Integer>> out = new ArrayList<>();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            ColumnDescriptor d = reader.getFooter().getFileMetaData().getSchema()
                    .getColumnDescription(new String[] {name});
            PageReadStore rg;
            while ((rg = reader.readNextRowGroup()) != null) {
                List<Integer> starts = new ArrayList<>();
                PageReader pages = rg.getPageReader(d);
                int row = 0;
                DataPage page;
                while ((page = pages.readPage()) != null) {
                    starts.add(row);
                    row += page.getValueCount();
                }
                starts.add(row);
                out.add(starts);
                rg.close();
            }
        }
        return out;
    }
}
