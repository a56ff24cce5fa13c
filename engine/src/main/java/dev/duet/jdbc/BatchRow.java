package dev.duet.jdbc;

import dev.duet.core.types.DataType;
import dev.duet.core.types.Values;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroVector;

/**
 * One row of an Arrow batch whose vectors are laid out as {@link DataType#arrowType()} says for
 * the columns' types. Primitive cells are read from the vectors without boxing. Reused from row to
 * row and batch to batch of one result set.
 */
final class BatchRow implements CurrentRow {
    private final DataType[] types;
    private FieldVector[] vectors;
    private int position;

    BatchRow(DataType[] types) {
        this.types = types;
    }

    /** Moves to row {@code position} of the batch of {@code vectors} (one per column). */
    void moveTo(FieldVector[] vectors, int position) {
        this.vectors = vectors;
        this.position = position;
    }

    @Override
    public boolean isNull(int column) {
        return vectors[column].isNull(position);
    }

    @Override
    public long integer(int column) {
        FieldVector v = vectors[column];
        return switch (types[column].kind()) {
            case BOOLEAN -> ((BitVector) v).get(position);
            case SMALLINT -> ((SmallIntVector) v).get(position);
            case INTEGER -> ((IntVector) v).get(position);
            case BIGINT -> ((BigIntVector) v).get(position);
            default -> throw new IllegalStateException("not an integer column: " + types[column]);
        };
    }

    @Override
    public double floating(int column) {
        FieldVector v = vectors[column];
        return types[column].kind() == DataType.Kind.REAL ? ((Float4Vector) v).get(position) : ((Float8Vector) v).get(position);
    }

    @Override
    public BigDecimal decimal(int column) {
        return ((DecimalVector) vectors[column]).getObject(position);
    }

    @Override
    public String text(int column) {
        return new String(bytes(column), StandardCharsets.UTF_8);
    }

    @Override
    public byte[] bytes(int column) {
        return ((BaseVariableWidthVector) vectors[column]).get(position);
    }

    @Override
    public Object canonical(int column) {
        FieldVector v = vectors[column];
        return switch (types[column].kind()) {
            case BOOLEAN -> ((BitVector) v).get(position) != 0;
            case SMALLINT -> ((SmallIntVector) v).get(position);
            case INTEGER -> ((IntVector) v).get(position);
            case BIGINT -> ((BigIntVector) v).get(position);
            case REAL -> ((Float4Vector) v).get(position);
            case DOUBLE -> ((Float8Vector) v).get(position);
            case DECIMAL -> decimal(column);
            case VARCHAR -> text(column);
            case DATE -> java.time.LocalDate.ofEpochDay(((DateDayVector) v).get(position));
            case TIMESTAMP -> Values.fromEpochMicros(((TimeStampMicroVector) v).get(position));
            case BYTEA -> bytes(column);
        };
    }
}
