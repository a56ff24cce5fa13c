package dev.duet.core.exec;

import static dev.duet.core.exec.SampleValues.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.types.DataType;
import dev.duet.core.types.RowCodec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link RowCodec#vectorDecoder}: decoding straight into vectors gives what {@link RowCodec#decode} gives. */
class RowCodecVectorDecoderTest {
    private static final DataType[] ALL = SampleValues.ALL_TYPES;

    private final RootAllocator root = new RootAllocator();
    private final QueryContext ctx = new QueryContext(root, 256L << 20);

    @AfterEach
    void nothingLeaked() {
        ctx.close();
        assertEquals(0, root.getAllocatedMemory());
        root.close();
    }

    private VectorSchemaRoot batchFor(DataType[] types, int[] columns, int capacity) {
        List<BatchColumn> cols = new ArrayList<>();
        for (int c : columns) {
            cols.add(new BatchColumn("c" + c, types[c], true));
        }
        VectorSchemaRoot batch = Batches.create(ctx.allocator(), cols);
        Batches.allocate(batch, capacity);
        return batch;
    }

    private static List<byte[]> randomRows(RowCodec codec, DataType[] types, int n, long seed, List<Object[]> values) {
        SampleValues gen = new SampleValues(seed);
        List<byte[]> rows = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            Object[] v = new Object[types.length];
            for (int c = 0; c < v.length; c++) {
                v[c] = gen.next(types[c], 5);
            }
            values.add(v);
            rows.add(codec.encode(v));
        }
        return rows;
    }

    private void checkProjection(RowCodec codec, List<byte[]> rows, List<Object[]> values, int[] columns, int capacity) {
        try (VectorSchemaRoot batch = batchFor(codec.types(), columns, capacity)) {
            RowCodec.VectorDecoder decoder = codec.vectorDecoder(columns, batch.getFieldVectors());
            for (int r = 0; r < rows.size(); r++) {
                decoder.decode(rows.get(r), r);
            }
            batch.setRowCount(rows.size());
            for (int r = 0; r < rows.size(); r++) {
                Object[] decoded = codec.decode(rows.get(r));
                for (int i = 0; i < columns.length; i++) {
                    int c = columns[i];
                    String where = "row " + r + " column " + c + " " + codec.types()[c] + " of " + Arrays.toString(columns);
                    assertSameValue(values.get(r)[c], decoded[c], where);
                    assertSameValue(decoded[c], Batches.get(batch.getVector(i), r), where);
                }
            }
        }
    }

    @Test
    void everyTypeDecodesAsTheObjectDecoderDoes() {
        RowCodec codec = new RowCodec(ALL);
        List<Object[]> values = new ArrayList<>();
        List<byte[]> rows = randomRows(codec, ALL, 3000, 7, values);
        int[] all = new int[ALL.length];
        Arrays.setAll(all, i -> i);
        checkProjection(codec, rows, values, all, 4096);
        checkProjection(codec, rows, values, all, 1); // vectors too small: the decoder grows them
    }

    @Test
    void projectionsInAnyOrderSkipTheOtherColumns() {
        RowCodec codec = new RowCodec(ALL);
        List<Object[]> values = new ArrayList<>();
        List<byte[]> rows = randomRows(codec, ALL, 500, 11, values);
        Random r = new Random(3);
        for (int trial = 0; trial < 40; trial++) {
            List<Integer> cols = new ArrayList<>();
            for (int c = 0; c < ALL.length; c++) {
                cols.add(c);
            }
            java.util.Collections.shuffle(cols, r);
            int[] columns = cols.subList(0, r.nextInt(ALL.length + 1)).stream().mapToInt(Integer::intValue).toArray();
            checkProjection(codec, rows, values, columns, 512);
        }
    }

    @Test
    void rowsWrittenBeforeColumnsWereAddedReadThemAsNull() {
        DataType[] old = {DataType.BIGINT, DataType.TEXT};
        DataType[] now = {DataType.BIGINT, DataType.TEXT, DataType.INTEGER, DataType.decimal(30, 2)};
        byte[] row = new RowCodec(old).encode(new Object[] {5L, "five"});
        RowCodec codec = new RowCodec(now);
        int[] columns = {3, 1, 2};
        try (VectorSchemaRoot batch = batchFor(now, columns, 4)) {
            codec.decodeInto(row, columns, batch.getFieldVectors(), 0);
            batch.setRowCount(1);
            assertNull(Batches.get(batch.getVector(0), 0));
            assertEquals("five", Batches.get(batch.getVector(1), 0));
            assertNull(Batches.get(batch.getVector(2), 0));
        }
    }

    @Test
    void rowsWrittenAtScatteredIndexesLeaveNullsBetween() {
        RowCodec codec = new RowCodec(ALL);
        List<Object[]> values = new ArrayList<>();
        List<byte[]> rows = randomRows(codec, ALL, 3, 13, values);
        int[] all = new int[ALL.length];
        Arrays.setAll(all, i -> i);
        int[] at = {1, 2, 6};
        try (VectorSchemaRoot batch = batchFor(ALL, all, 3)) { // index 6 is past the capacity
            RowCodec.VectorDecoder decoder = codec.vectorDecoder(all, batch.getFieldVectors());
            for (int i = 0; i < at.length; i++) {
                decoder.decode(rows.get(i), at[i]);
            }
            batch.setRowCount(8);
            for (int r = 0, next = 0; r < 8; r++) {
                Object[] row = Batches.row(batch, r);
                boolean written = next < at.length && at[next] == r;
                for (int c = 0; c < all.length; c++) {
                    assertSameValue(written ? values.get(next)[c] : null, row[c], "row " + r + " column " + c);
                }
                if (written) {
                    next++;
                }
            }
        }
    }

    private void assertCorrupted(DataType[] types, byte[] row) {
        RowCodec codec = new RowCodec(types);
        int[] columns = new int[types.length];
        Arrays.setAll(columns, i -> i);
        try (VectorSchemaRoot batch = batchFor(types, columns, 4)) {
            RowCodec.VectorDecoder decoder = codec.vectorDecoder(columns, batch.getFieldVectors());
            DuetException e = assertThrows(DuetException.class, () -> decoder.decode(row, 0));
            assertEquals(SqlState.DATA_CORRUPTED, e.state(), e.getMessage());
            // The object decoder agrees it is corrupt.
            DuetException e2 = assertThrows(DuetException.class, () -> codec.decode(row));
            assertEquals(SqlState.DATA_CORRUPTED, e2.state(), e2.getMessage());
        }
    }

    @Test
    void corruptRowsFailWith22DataCorrupted() {
        DataType[] types = {DataType.BIGINT, DataType.TEXT};
        byte[] good = new RowCodec(types).encode(new Object[] {1L, "hello"});
        for (int len = 0; len < good.length; len++) {
            assertCorrupted(types, Arrays.copyOf(good, len)); // every truncation
        }
        assertCorrupted(new DataType[] {DataType.BOOLEAN}, new byte[] {1, 0, 2});
        assertCorrupted(new DataType[] {DataType.INTEGER}, new byte[] {2, 0, 0, 0, 0, 0}); // two columns stored
        assertCorrupted(new DataType[] {DataType.INTEGER}, new byte[] {1, 2, 0, 0, 0, 0}); // bitmap bit past the count
        byte[] dec = new byte[10];
        dec[0] = 1;
        dec[2] = 99; // unscaled 99 in DECIMAL(1,0)
        assertCorrupted(new DataType[] {DataType.decimal(1, 0)}, dec);
        byte[] tenTo19 = BigInteger.TEN.pow(19).toByteArray(); // 20 digits do not fit DECIMAL(19,4)
        byte[] wide = new byte[3 + tenTo19.length];
        wide[0] = 1;
        wide[2] = (byte) tenTo19.length;
        System.arraycopy(tenTo19, 0, wide, 3, tenTo19.length);
        assertCorrupted(new DataType[] {DataType.decimal(19, 4)}, wide);
        byte[] negative = BigInteger.TEN.pow(19).negate().toByteArray();
        byte[] wideNeg = new byte[3 + negative.length];
        wideNeg[0] = 1;
        wideNeg[2] = (byte) negative.length;
        System.arraycopy(negative, 0, wideNeg, 3, negative.length);
        assertCorrupted(new DataType[] {DataType.decimal(19, 4)}, wideNeg);
        assertCorrupted(new DataType[] {DataType.decimal(38, 0)}, new byte[] {1, 0, 0}); // zero-length decimal
    }

    @Test
    void widestDecimalsDecode() {
        DataType t = DataType.decimal(38, 0);
        BigInteger max = BigInteger.TEN.pow(38).subtract(BigInteger.ONE);
        RowCodec codec = new RowCodec(new DataType[] {t});
        List<Object[]> values = new ArrayList<>();
        List<byte[]> rows = new ArrayList<>();
        for (BigInteger v : List.of(max, max.negate(), BigInteger.ZERO, BigInteger.ONE.shiftLeft(64), BigInteger.ONE.shiftLeft(64).negate(),
                BigInteger.ONE.shiftLeft(63).negate(), BigInteger.valueOf(-1), BigInteger.ONE.shiftLeft(126).negate())) {
            Object[] row = {new BigDecimal(v)};
            values.add(row);
            rows.add(codec.encode(row));
        }
        checkProjection(codec, rows, values, new int[] {0}, 2);
    }

    @Test
    void badArgumentsAreRejected() {
        RowCodec codec = new RowCodec(new DataType[] {DataType.BIGINT, DataType.decimal(10, 2)});
        try (VectorSchemaRoot batch = batchFor(new DataType[] {DataType.INTEGER, DataType.decimal(10, 3)}, new int[] {0, 1}, 4)) {
            List<FieldVector> v = batch.getFieldVectors();
            assertThrows(IllegalArgumentException.class, () -> codec.vectorDecoder(new int[] {0}, List.of(v.get(0)))); // INT for BIGINT
            assertThrows(IllegalArgumentException.class, () -> codec.vectorDecoder(new int[] {1}, List.of(v.get(1)))); // scale 3 for 2
            assertThrows(IllegalArgumentException.class, () -> codec.vectorDecoder(new int[] {0, 1}, List.of(v.get(0))));
            assertThrows(IndexOutOfBoundsException.class, () -> codec.vectorDecoder(new int[] {2}, List.of(v.get(0))));
        }
        try (VectorSchemaRoot batch = batchFor(new DataType[] {DataType.BIGINT, DataType.BIGINT}, new int[] {0, 1}, 4)) {
            assertThrows(IllegalArgumentException.class, () -> codec.vectorDecoder(new int[] {0, 0}, batch.getFieldVectors()));
        }
    }
}
