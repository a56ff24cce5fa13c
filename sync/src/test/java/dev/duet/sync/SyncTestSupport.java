package dev.duet.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duet.columnstore.ColumnScan;
import dev.duet.columnstore.ColumnStore;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.rowstore.Row;
import dev.duet.rowstore.Transaction;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Comparing the column store with the row store at a snapshot, and random values of every type. */
final class SyncTestSupport {
    private SyncTestSupport() {
    }

    /** Every column type, nullable. */
    static final DataType[] TYPES = {
        DataType.BOOLEAN, DataType.SMALLINT, DataType.INTEGER, DataType.BIGINT, DataType.REAL, DataType.DOUBLE,
        DataType.decimal(9, 2), DataType.decimal(38, 10), DataType.varchar(20), DataType.TEXT, DataType.DATE,
        DataType.TIMESTAMP, DataType.BYTEA,
    };

    /** A random value of {@code type}, NULL one time in six. */
    static Object value(Random r, DataType type) {
        if (r.nextInt(6) == 0) {
            return null;
        }
        return switch (type.kind()) {
            case BOOLEAN -> r.nextBoolean();
            case SMALLINT -> (short) (r.nextInt(65536) - 32768);
            case INTEGER -> r.nextInt();
            case BIGINT -> r.nextLong();
            case REAL -> r.nextFloat() * 1000 - 500;
            case DOUBLE -> r.nextGaussian() * 1e6;
            case DECIMAL -> new BigDecimal(java.math.BigInteger.valueOf(r.nextLong() % 1_000_000), type.scale());
            case VARCHAR -> "s" + r.nextInt(1000) + (r.nextBoolean() ? "é中😀" : "");
            case DATE -> LocalDate.of(1990 + r.nextInt(60), 1 + r.nextInt(12), 1 + r.nextInt(28));
            case TIMESTAMP -> LocalDateTime.of(2000 + r.nextInt(30), 1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(24),
                    r.nextInt(60), r.nextInt(60), r.nextInt(1_000_000) * 1000);
            case BYTEA -> {
                byte[] b = new byte[r.nextInt(6)];
                r.nextBytes(b);
                yield b;
            }
        };
    }

    /** A row as comparable text (byte strings in hex, numbers as written). */
    static String text(Object[] row) {
        StringBuilder sb = new StringBuilder();
        for (Object v : row) {
            sb.append(v instanceof byte[] b ? "x" + HexFormat.of().formatHex(b) : String.valueOf(v)).append('|');
        }
        return sb.toString();
    }

    /** The rows of {@code table} that {@code tx} sees, sorted as text. */
    static List<String> rowStoreRows(Transaction tx, String table) {
        List<String> out = new ArrayList<>();
        for (Row row : tx.scan(table)) {
            out.add(text(row.values()));
        }
        out.sort(null);
        return out;
    }

    /** The rows of {@code table} the column store holds at {@code snapshot}, sorted as text. */
    static List<String> columnStoreRows(ColumnStore cs, BufferAllocator root, TableDef table, long snapshot) {
        List<String> out = new ArrayList<>();
        int[] all = new int[table.columnCount()];
        Arrays.setAll(all, i -> i);
        try (QueryContext ctx = new QueryContext(root, 1L << 30); ColumnScan scan = cs.scan(ctx, table.id(), snapshot, all, List.of())) {
            for (VectorSchemaRoot b = scan.next(); b != null; b = scan.next()) {
                for (Object[] row : Batches.rows(b)) {
                    out.add(text(row));
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** Asserts that the column store at {@code tx}'s snapshot holds exactly the rows {@code tx} sees, for every table. */
    static void assertSameAt(Transaction tx, ColumnStore cs, BufferAllocator root) {
        for (TableDef t : tx.catalog().tables()) {
            List<String> expected = rowStoreRows(tx, t.qualifiedName());
            List<String> actual = columnStoreRows(cs, root, t, tx.snapshot());
            assertEquals(expected.size(), actual.size(), () -> "row count of " + t.name() + " at snapshot " + tx.snapshot());
            assertEquals(expected, actual, () -> "rows of " + t.name() + " at snapshot " + tx.snapshot());
        }
    }
}
