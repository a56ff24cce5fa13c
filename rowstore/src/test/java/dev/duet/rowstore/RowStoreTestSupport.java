package dev.duet.rowstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.KeyCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.function.Executable;

/** Shared helpers of the row store tests: SQLSTATE assertions and whole-database dumps. */
final class RowStoreTestSupport {
    private RowStoreTestSupport() {}

    /** Runs {@code action}, which must fail with a {@link DuetException} of {@code expected}. */
    static DuetException assertFails(SqlState expected, Executable action) {
        DuetException e = assertThrows(DuetException.class, action);
        assertEquals(expected, e.state(), () -> "wrong SQLSTATE for: " + e);
        return e;
    }

    /**
     * Every table (definition and rows in scan order) as a fresh read-only transaction sees it;
     * equal dumps mean an unchanged database.
     */
    static Map<String, List<Row>> contents(RowStore store) {
        try (Transaction tx = store.begin(true)) {
            Map<String, List<Row>> out = new TreeMap<>();
            for (TableDef t : tx.catalog().tables()) {
                out.put(t.id() + " " + t, tx.scan(t.qualifiedName()).toList());
            }
            out.put("schemas " + tx.catalog().schemaNames(), List.of());
            return out;
        }
    }

    static List<Row> scanAll(RowStore store, String table) {
        try (Transaction tx = store.begin(true)) {
            return tx.scan(table).toList();
        }
    }

    /** The values of each row, for comparisons that do not care about the table id. */
    static List<List<Object>> values(List<Row> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(java.util.Arrays.asList(r.values()));
        }
        return out;
    }

    /** The hidden row id of a row of a table without a primary key. */
    static long rowId(Row row) {
        return KeyCodec.decodeRowId(row.key());
    }

    static Object[] key(Object... values) {
        return values;
    }
}
