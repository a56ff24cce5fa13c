package dev.duet.rowstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.core.types.RowCodec;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Prints rows/s of a 1M-row row-store table read into Arrow batches by {@link RowStoreScan},
 * beside {@link Transaction#scan} into {@code Object[]} rows and the bare merged iteration. A
 * measurement, not a test: nothing is asserted about speed. Run it with
 * {@code mvn -o -pl rowstore test -Dtest=RowStoreScanThroughput -Dduet.bench=true}.
 */
@EnabledIfSystemProperty(named = "duet.bench", matches = "true")
class RowStoreScanThroughput {
    private static final int ROWS = 1_000_000;
    private static final int RUNS = 12;

    @Test
    void measure() {
        try (RowStore store = RowStore.inMemory(RowStoreOptions.defaults().withFsync(false));
                RootAllocator root = new RootAllocator()) {
            load(store);
            try (Transaction tx = store.begin(true)) {
                TableDef table = tx.table("m");
                byte[][] encoded = new byte[ROWS][];
                EncodedRows all = tx.encodedScan(table, KeyRange.all());
                for (int i = 0; all.next(); i++) {
                    encoded[i] = all.row();
                }
                Map<String, LongSupplier> variants = new LinkedHashMap<>();
                variants.put("merged iteration of encoded rows, no decoding", () -> {
                    long n = 0;
                    for (EncodedRows it = tx.encodedScan(table, KeyRange.all()); it.next(); ) {
                        n += it.row().length > 0 ? 1 : 0;
                    }
                    return n;
                });
                variants.put("tx.scan() -> Object[] rows (all 6 columns)", () -> {
                    long n = 0;
                    long check = 0;
                    for (Row r : tx.scan("m")) {
                        check += (Long) r.get(1);
                        n++;
                    }
                    return check == 42 ? n + 1 : n;
                });
                for (int[] columns : new int[][] {null, {1, 2}, {3}}) {
                    String what = columns == null ? "all 6 columns" : "columns " + Arrays.toString(columns);
                    variants.put("RowStoreScan -> Arrow, 4096-row batches, " + what, () -> {
                        try (QueryContext ctx = new QueryContext(root, 256L << 20);
                                RowStoreScan scan = new RowStoreScan(ctx, tx, "m", KeyRange.all(), columns)) {
                            long n = 0;
                            long check = 0;
                            for (VectorSchemaRoot b = scan.next(); b != null; b = scan.next()) {
                                n += b.getRowCount();
                                if (b.getVector(0) instanceof BigIntVector v) {
                                    check += v.get(0);
                                }
                            }
                            return check == 42 ? n + 1 : n;
                        }
                    });
                }
                variants.put("decode only: byte[][] -> Arrow (all 6 columns, no row store)", () -> {
                    try (QueryContext ctx = new QueryContext(root, 256L << 20);
                            VectorSchemaRoot batch = Batches.create(ctx.allocator(), columnsOf(table))) {
                        Batches.allocate(batch, 4096);
                        int[] cols = {0, 1, 2, 3, 4, 5};
                        RowCodec.VectorDecoder d = table.rowCodec().vectorDecoder(cols, batch.getFieldVectors());
                        long n = 0;
                        for (int from = 0; from < ROWS; from += 4096) {
                            for (FieldVector v : batch.getFieldVectors()) {
                                v.reset();
                            }
                            int to = Math.min(ROWS, from + 4096);
                            for (int i = from; i < to; i++) {
                                d.decode(encoded[i], i - from);
                            }
                            batch.setRowCount(to - from);
                            n += to - from;
                        }
                        return n;
                    }
                });
                variants.put("decode only: byte[][] -> Object[] (all 6 columns)", () -> {
                    RowCodec codec = table.rowCodec();
                    Object[] values = new Object[6];
                    long check = 0;
                    for (byte[] row : encoded) {
                        codec.decode(row, values);
                        check += (Long) values[1];
                    }
                    return check == 42 ? ROWS + 1 : ROWS;
                });
                com.sun.management.ThreadMXBean threads =
                        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
                Map<String, double[]> times = new LinkedHashMap<>();
                Map<String, Long> allocated = new LinkedHashMap<>();
                for (int run = 0; run < RUNS; run++) { // round-robin, so that machine noise hits every variant alike
                    for (Map.Entry<String, LongSupplier> v : variants.entrySet()) {
                        long a0 = threads.getCurrentThreadAllocatedBytes();
                        long t0 = System.nanoTime();
                        long rows = v.getValue().getAsLong();
                        times.computeIfAbsent(v.getKey(), k -> new double[RUNS])[run] = (System.nanoTime() - t0) / 1e9;
                        allocated.put(v.getKey(), threads.getCurrentThreadAllocatedBytes() - a0);
                        assertEquals(ROWS, rows, v.getKey());
                    }
                }
                for (Map.Entry<String, double[]> e : times.entrySet()) {
                    double[] t = e.getValue();
                    Arrays.sort(t);
                    System.out.printf("%-62s best %6.1f ms = %5.1f M rows/s; median %6.1f ms = %5.1f M rows/s; heap %5.1f B/row%n",
                            e.getKey(), t[0] * 1e3, ROWS / t[0] / 1e6, t[RUNS / 2] * 1e3, ROWS / t[RUNS / 2] / 1e6,
                            (double) allocated.get(e.getKey()) / ROWS);
                }
            }
        }
    }

    private static List<BatchColumn> columnsOf(TableDef t) {
        List<BatchColumn> out = new ArrayList<>();
        for (ColumnDef c : t.columns()) {
            out.add(new BatchColumn(c.name(), c.type(), !c.notNull()));
        }
        return out;
    }

    private static void load(RowStore store) {
        long start = System.nanoTime();
        try (Transaction tx = store.begin()) {
            tx.createTable(TableDef.builder("m")
                    .column("id", DataType.BIGINT).column("qty", DataType.BIGINT).column("price", DataType.DOUBLE)
                    .column("name", DataType.TEXT).column("day", DataType.DATE).column("amount", DataType.decimal(15, 2))
                    .primaryKey("id").build());
            tx.commit();
        }
        Random r = new Random(1);
        String letters = "abcdefghijklmnopqrstuvwxyz";
        for (int from = 0; from < ROWS; from += 100_000) {
            try (Transaction tx = store.begin()) {
                for (int i = from; i < from + 100_000; i++) {
                    char[] name = new char[20];
                    for (int k = 0; k < name.length; k++) {
                        name[k] = letters.charAt(r.nextInt(letters.length()));
                    }
                    tx.insert("m", (long) i, r.nextLong() % 1000, r.nextDouble() * 100, new String(name),
                            LocalDate.ofEpochDay(8000 + r.nextInt(3000)), BigDecimal.valueOf(r.nextInt(100_000_000), 2));
                }
                tx.commit();
            }
        }
        System.out.printf("loaded %,d rows in %.1f s%n", ROWS, (System.nanoTime() - start) / 1e9);
    }
}
