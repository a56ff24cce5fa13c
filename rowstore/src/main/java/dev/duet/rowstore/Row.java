package dev.duet.rowstore;

import dev.duet.core.catalog.TableDef;
import java.util.Arrays;

/**
 * A row read from a table: its values in column order (canonical Java types, see
 * {@code DataType}) and the internal key that identifies it, so that it can be updated or deleted
 * even in a table without a primary key. Values are a private copy.
 */
public final class Row {
    private final TableDef table;
    private final byte[] key;
    private final Object[] values;

    Row(TableDef table, byte[] key, Object[] values) {
        this.table = table;
        this.key = key;
        this.values = values;
    }

    public TableDef table() {
        return table;
    }

    /** The encoded primary key ({@link dev.duet.core.types.KeyCodec}; the row id for a table without one). Do not modify. */
    public byte[] key() {
        return key;
    }

    public int size() {
        return values.length;
    }

    public Object get(int column) {
        return values[column];
    }

    /** The value of column {@code name}; 42703 if the table has no such column. */
    public Object get(String column) {
        return values[table.requireColumn(column)];
    }

    /** A copy of the values in column order. */
    public Object[] values() {
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row r && r.table.id() == table.id() && Arrays.deepEquals(r.values, values);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        return Arrays.deepToString(values);
    }
}
