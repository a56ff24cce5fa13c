package dev.duet.core.catalog;

import dev.duet.core.types.DataType;
import dev.duet.core.types.Values;
import java.util.Objects;

/**
 * A column of a table: its name, type, whether it admits NULL, and an optional constant default
 * (in canonical form, already coerced to the column type). Immutable.
 */
public record ColumnDef(String name, DataType type, boolean notNull, Object defaultValue) {
    public ColumnDef {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(type, "type is null");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("column name is empty");
        }
        defaultValue = Values.coerce(type, defaultValue, name);
    }

    public static ColumnDef of(String name, DataType type) {
        return new ColumnDef(name, type, false, null);
    }

    public static ColumnDef notNull(String name, DataType type) {
        return new ColumnDef(name, type, true, null);
    }

    public ColumnDef withDefault(Object value) {
        return new ColumnDef(name, type, notNull, value);
    }

    /** Defaults compare by value (a BYTEA default is an array). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ColumnDef c && c.name.equals(name) && c.type.equals(type) && c.notNull == notNull
                && Values.equal(type, c.defaultValue, defaultValue);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, type, notNull, defaultValue == null ? 0 : Values.hash(type, defaultValue));
    }

    @Override
    public String toString() {
        return name + " " + type + (notNull ? " NOT NULL" : "")
                + (defaultValue != null ? " DEFAULT " + Values.toSqlLiteral(type, defaultValue) : "");
    }
}
