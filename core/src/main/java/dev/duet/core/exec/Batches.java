package dev.duet.core.exec;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.types.Values;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
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
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Making Arrow batches for a list of {@link BatchColumn}s and moving single values between a
 * vector and their canonical Java form (listed on {@link dev.duet.core.types.DataType}). The value
 * methods cost a type dispatch and usually a boxed object per call: they are for result sets,
 * tests, constants and other per-value work, never for the loops that process whole batches,
 * which read and write the vectors' buffers directly.
 */
public final class Batches {
    private Batches() {
    }

    /** The Arrow schema of these columns. */
    public static Schema schema(List<BatchColumn> columns) {
        Objects.requireNonNull(columns, "columns is null");
        List<Field> fields = new ArrayList<>(columns.size());
        for (BatchColumn c : columns) {
            fields.add(c.field());
        }
        return new Schema(fields);
    }

    /**
     * An empty batch of these columns whose vectors have no buffers yet ({@link #allocate} gives
     * them room). The caller owns it and closes it.
     */
    public static VectorSchemaRoot create(BufferAllocator allocator, List<BatchColumn> columns) {
        Objects.requireNonNull(allocator, "allocator is null");
        return VectorSchemaRoot.create(schema(columns), allocator);
    }

    /**
     * Allocates room for {@code rows} rows in every vector of {@code batch} (variable-width ones
     * with a guess of 8 bytes per value, and at least {@value #MIN_VARIABLE_BYTES} bytes, so that
     * a batch of a few rows does not grow its data buffer on its first string; they grow when
     * written with {@code setSafe}). On failure the vectors allocated so far stay in the batch and
     * are freed by closing it.
     */
    public static void allocate(VectorSchemaRoot batch, int rows) {
        for (FieldVector v : batch.getFieldVectors()) {
            if (v instanceof BaseVariableWidthVector variable) {
                variable.setInitialCapacity(rows, Math.max(8.0, (double) MIN_VARIABLE_BYTES / Math.max(rows, 1)));
            } else {
                v.setInitialCapacity(rows);
            }
            v.allocateNew();
        }
        batch.setRowCount(0);
    }

    private static final int MIN_VARIABLE_BYTES = 256;

    /**
     * A new batch holding {@code rows} (each one canonical value or null per column). The caller
     * owns it and closes it.
     */
    public static VectorSchemaRoot fromRows(BufferAllocator allocator, List<BatchColumn> columns, List<Object[]> rows) {
        Objects.requireNonNull(rows, "rows is null");
        VectorSchemaRoot batch = create(allocator, columns);
        try {
            allocate(batch, Math.max(rows.size(), 1));
            List<FieldVector> vectors = batch.getFieldVectors();
            for (int r = 0; r < rows.size(); r++) {
                Object[] row = rows.get(r);
                if (row.length != vectors.size()) {
                    throw new IllegalArgumentException("row " + r + " has " + row.length + " values, the batch "
                            + vectors.size() + " columns");
                }
                for (int c = 0; c < row.length; c++) {
                    set(vectors.get(c), r, row[c]);
                }
            }
            batch.setRowCount(rows.size());
            return batch;
        } catch (RuntimeException e) {
            batch.close();
            throw e;
        }
    }

    /**
     * Writes the canonical value (or null) {@code value} at {@code row}, growing the vector if
     * needed. The caller sets the value count ({@link VectorSchemaRoot#setRowCount}) afterwards.
     * A value of the wrong Java class fails with {@link IllegalArgumentException}.
     */
    public static void set(FieldVector vector, int row, Object value) {
        Objects.requireNonNull(vector, "vector is null");
        if (value == null) {
            vector.setNull(row);
            return;
        }
        try {
            switch (vector.getMinorType()) {
                case BIT -> ((BitVector) vector).setSafe(row, (Boolean) value ? 1 : 0);
                case SMALLINT -> ((SmallIntVector) vector).setSafe(row, (Short) value);
                case INT -> ((IntVector) vector).setSafe(row, (Integer) value);
                case BIGINT -> ((BigIntVector) vector).setSafe(row, (Long) value);
                case FLOAT4 -> ((Float4Vector) vector).setSafe(row, (Float) value);
                case FLOAT8 -> ((Float8Vector) vector).setSafe(row, (Double) value);
                case DECIMAL -> {
                    DecimalVector d = (DecimalVector) vector;
                    BigDecimal v = (BigDecimal) value;
                    if (v.scale() != d.getScale()) {
                        try {
                            v = v.setScale(d.getScale(), RoundingMode.UNNECESSARY);
                        } catch (ArithmeticException e) {
                            throw new IllegalArgumentException("vector " + vector.getName() + " has scale " + d.getScale()
                                    + "; " + v + " needs rounding", e);
                        }
                    }
                    if (v.precision() > d.getPrecision()) {
                        throw new IllegalArgumentException("vector " + vector.getName() + " has precision "
                                + d.getPrecision() + "; " + v + " has more digits");
                    }
                    d.setSafe(row, v);
                }
                case VARCHAR -> {
                    byte[] utf8 = ((String) value).getBytes(StandardCharsets.UTF_8);
                    ((VarCharVector) vector).setSafe(row, utf8, 0, utf8.length);
                }
                case VARBINARY -> {
                    byte[] b = (byte[]) value;
                    ((VarBinaryVector) vector).setSafe(row, b, 0, b.length);
                }
                case DATEDAY -> {
                    long day = ((LocalDate) value).toEpochDay();
                    if (day != (int) day) {
                        throw DuetException.of(SqlState.DATETIME_FIELD_OVERFLOW, "date %s is out of range", value);
                    }
                    ((DateDayVector) vector).setSafe(row, (int) day);
                }
                case TIMESTAMPMICRO -> ((TimeStampMicroVector) vector).setSafe(row, Values.toEpochMicros((LocalDateTime) value));
                default -> throw new IllegalArgumentException("vector " + vector.getName() + " of Arrow type "
                        + vector.getField().getType() + " holds no SQL type");
            }
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("vector " + vector.getName() + " of Arrow type "
                    + vector.getField().getType() + " cannot take a " + value.getClass().getName(), e);
        }
    }

    /** The value at {@code row} in its canonical Java form, or null. */
    public static Object get(FieldVector vector, int row) {
        Objects.requireNonNull(vector, "vector is null");
        if (vector.isNull(row)) {
            return null;
        }
        return switch (vector.getMinorType()) {
            case BIT -> ((BitVector) vector).get(row) != 0;
            case SMALLINT -> ((SmallIntVector) vector).get(row);
            case INT -> ((IntVector) vector).get(row);
            case BIGINT -> ((BigIntVector) vector).get(row);
            case FLOAT4 -> ((Float4Vector) vector).get(row);
            case FLOAT8 -> ((Float8Vector) vector).get(row);
            case DECIMAL -> ((DecimalVector) vector).getObject(row);
            case VARCHAR -> new String(((BaseVariableWidthVector) vector).get(row), StandardCharsets.UTF_8);
            case VARBINARY -> ((BaseVariableWidthVector) vector).get(row);
            case DATEDAY -> LocalDate.ofEpochDay(((DateDayVector) vector).get(row));
            case TIMESTAMPMICRO -> Values.fromEpochMicros(((TimeStampMicroVector) vector).get(row));
            default -> throw new IllegalArgumentException("vector " + vector.getName() + " of Arrow type "
                    + vector.getField().getType() + " holds no SQL type");
        };
    }

    /** Row {@code row} of the batch: one canonical value or null per column. */
    public static Object[] row(VectorSchemaRoot batch, int row) {
        Objects.checkIndex(row, batch.getRowCount());
        List<FieldVector> vectors = batch.getFieldVectors();
        Object[] out = new Object[vectors.size()];
        for (int c = 0; c < out.length; c++) {
            out[c] = get(vectors.get(c), row);
        }
        return out;
    }

    /** Every row of the batch, as {@link #row} gives them. */
    public static List<Object[]> rows(VectorSchemaRoot batch) {
        int n = batch.getRowCount();
        List<Object[]> out = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            out.add(row(batch, r));
        }
        return out;
    }
}
