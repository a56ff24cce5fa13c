package dev.duet.jmh;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.engine.Duet;
import dev.duet.rowstore.Transaction;

/**
 * The table the API and open benchmarks use: {@code (id bigint primary key, n bigint, s text,
 * d double)}, row {@code i} being {@code (i, i * 31, "<20 chars ending in i>", i / 8.0)}.
 */
final class SampleTable {
    static final String NAME = "sample";
    static final TableDef DEF = TableDef.builder(NAME)
            .column("id", DataType.BIGINT)
            .column("n", DataType.BIGINT)
            .column("s", DataType.TEXT)
            .column("d", DataType.DOUBLE)
            .primaryKey("id").build();

    private SampleTable() {
    }

    /** A 20-character text that differs per row. */
    static String text(long i) {
        String digits = Long.toString(i);
        return "row-text-0000000000".substring(0, 20 - digits.length()) + digits;
    }

    static Object[] row(long i) {
        return new Object[] {i, i * 31, text(i), i / 8.0};
    }

    /** Inserts rows {@code [from, to)} in transactions of {@code batch} rows. */
    static void load(Duet db, long from, long to, int batch) {
        for (long start = from; start < to; start += batch) {
            long end = Math.min(to, start + batch);
            try (Transaction tx = db.begin()) {
                for (long i = start; i < end; i++) {
                    tx.insert(NAME, row(i));
                }
                tx.commit();
            }
        }
    }
}
