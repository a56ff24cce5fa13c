package dev.duet.rowstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Prints the live heap per row of an in-memory row-store table of 1M rows (six columns, a BIGINT
 * key; about 50 bytes of encoded row and 9 of encoded key), measured as used heap after full
 * collections before and after loading, and the same for a table without a primary key. A
 * measurement, not a test: nothing is asserted about the size. Run it with
 * {@code mvn -o -pl rowstore -am test -Dtest=RowStoreHeapThroughput -Dduet.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "duet.bench", matches = "true")
class RowStoreHeapThroughput {
    private static final int ROWS = 1_000_000;

    @Test
    void measure() {
        for (boolean primaryKey : new boolean[] {true, false}) {
            try (RowStore store = RowStore.inMemory(RowStoreOptions.defaults().withFsync(false))) {
                long before = usedAfterGc();
                long[] bytes = load(store, primaryKey);
                long after = usedAfterGc();
                try (Transaction tx = store.begin(true)) {
                    assertEquals(ROWS, tx.count("m"));
                }
                System.out.printf("%s: %,d rows, live heap %.1f bytes/row (encoded key %.1f + row %.1f bytes/row)%n",
                        primaryKey ? "primary key" : "no primary key", ROWS, (after - before) / (double) ROWS,
                        bytes[0] / (double) ROWS, bytes[1] / (double) ROWS);
            }
        }
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Loads the rows; returns {encoded key bytes, encoded row bytes} summed over the rows. */
    private static long[] load(RowStore store, boolean primaryKey) {
        try (Transaction tx = store.begin()) {
            TableDef.Builder b = TableDef.builder("m")
                    .column("id", DataType.BIGINT).column("qty", DataType.BIGINT).column("price", DataType.DOUBLE)
                    .column("name", DataType.TEXT).column("day", DataType.DATE).column("amount", DataType.decimal(15, 2));
            tx.createTable(primaryKey ? b.primaryKey("id").build() : b.build());
            tx.commit();
        }
        Random r = new Random(1);
        String letters = "abcdefghijklmnopqrstuvwxyz";
        for (int from = 0; from < ROWS; from += 10_000) {
            try (Transaction tx = store.begin()) {
                for (int i = from; i < from + 10_000; i++) {
                    char[] name = new char[12];
                    for (int k = 0; k < name.length; k++) {
                        name[k] = letters.charAt(r.nextInt(letters.length()));
                    }
                    tx.insert("m", (long) i, r.nextLong() % 1000, r.nextDouble() * 100, new String(name),
                            LocalDate.ofEpochDay(8000 + r.nextInt(3000)), BigDecimal.valueOf(r.nextInt(100_000_000), 2));
                }
                tx.commit();
            }
        }
        long keyBytes = 0;
        long rowBytes = 0;
        try (Transaction tx = store.begin(true)) {
            TableDef t = tx.table("m");
            for (Row row : tx.scan("m")) {
                keyBytes += row.key().length;
                rowBytes += t.rowCodec().encode(row.values()).length;
            }
        }
        return new long[] {keyBytes, rowBytes};
    }
}
