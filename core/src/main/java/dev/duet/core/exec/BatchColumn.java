package dev.duet.core.exec;

import dev.duet.core.types.DataType;
import java.util.Objects;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * One column of the batches an operator produces: its name, SQL type and whether it can hold
 * NULL. The SQL type says more than the Arrow field ({@code VARCHAR(10)} and {@code TEXT} are both
 * Arrow {@code Utf8}), so operators describe their output with these and derive Arrow schemas.
 */
public record BatchColumn(String name, DataType type, boolean nullable) {
    public BatchColumn {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(type, "type is null");
    }

    /** The Arrow field of this column ({@link DataType#arrowField}). */
    public Field field() {
        return type.arrowField(name, nullable);
    }

    @Override
    public String toString() {
        return name + " " + type + (nullable ? "" : " NOT NULL");
    }
}
