package dev.duet.rowstore;

import dev.duet.core.catalog.IndexDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.io.ByteSink;
import dev.duet.core.types.DataType;
import dev.duet.core.types.KeyCodec;

/**
 * The byte form of one index's entries. Each indexed value is a marker byte, 0x00 for NULL or
 * 0x01 followed by the value's {@link KeyCodec} encoding; an entry's key is those values in index
 * order followed by the row's encoded primary key. Each column's encoding is prefix-free, so the
 * encoded values of the first n columns are a byte prefix of every entry that starts with them,
 * and unsigned byte order is value order (NULLs first). Immutable, thread-safe.
 */
final class IndexKeys {
    private static final byte NULL = 0x00;
    private static final byte VALUE = 0x01;

    final IndexDef index;
    private final int[] columns;
    private final KeyCodec[] codecs;

    IndexKeys(TableDef table, IndexDef index) {
        this.index = index;
        this.columns = index.columns();
        this.codecs = new KeyCodec[columns.length];
        for (int i = 0; i < columns.length; i++) {
            codecs[i] = new KeyCodec(new DataType[] {table.column(columns[i]).type()});
        }
    }

    /** True if every indexed column of {@code row} is non-null (only such rows can violate uniqueness). */
    boolean allNonNull(Object[] row) {
        for (int c : columns) {
            if (row[c] == null) {
                return false;
            }
        }
        return true;
    }

    /** The encoded indexed values of a decoded row. */
    byte[] values(Object[] row) {
        Object[] values = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            values[i] = row[columns[i]];
        }
        return prefix(values);
    }

    /** The encoded values of the first {@code values.length} indexed columns (canonical values or NULL). */
    byte[] prefix(Object[] values) {
        ByteSink out = new ByteSink(32);
        Object[] one = new Object[1];
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                out.writeByte(NULL);
            } else {
                out.writeByte(VALUE);
                one[0] = values[i];
                byte[] e = codecs[i].encode(one);
                out.writeBytes(e, 0, e.length);
            }
        }
        return out.toByteArray();
    }

    /** The key of the entry for a row with encoded indexed values {@code values} and primary key {@code pk}. */
    static byte[] entry(byte[] values, byte[] pk) {
        byte[] k = new byte[values.length + pk.length];
        System.arraycopy(values, 0, k, 0, values.length);
        System.arraycopy(pk, 0, k, values.length, pk.length);
        return k;
    }
}
