package dev.duet.planner.exec.expr;

import dev.duet.core.types.DataType;
import dev.duet.core.types.Values;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** A literal (or NULL) repeated for every row. */
final class ConstantEvaluator extends ComputedEvaluator {
    private final boolean isNull;
    /** Fixed-width values: the raw bits (an int, long, double's bits, the low word of a decimal). */
    private final long bits;
    private final long decimalHi;
    private final byte[] bytes;
    private final VarWidthWriter writer;
    /**
     * A fixed-width output keeps its values from batch to batch (nobody writes to it), so it is
     * filled again only when a batch is longer or its buffers changed (moved away downstream, or
     * reallocated): rows filled so far and the buffers they are in (compared as objects, not
     * addresses: a new buffer may reuse a freed one's address).
     */
    private int filledCount;
    private ArrowBuf filledData;
    private ArrowBuf filledValidity;

    /** @param value the canonical value of {@code type} ({@link DataType}), or null */
    ConstantEvaluator(DataType type, Object value, BufferAllocator allocator) {
        super(type, allocator);
        this.isNull = value == null;
        long b = 0;
        long hi = 0;
        byte[] v = null;
        if (value != null) {
            switch (type.kind()) {
                case BOOLEAN -> b = (Boolean) value ? 1 : 0;
                case SMALLINT, INTEGER, BIGINT -> b = ((Number) value).longValue();
                case REAL -> b = Float.floatToRawIntBits((Float) value);
                case DOUBLE -> b = Double.doubleToRawLongBits((Double) value);
                case DECIMAL -> {
                    Int128 u = new Int128();
                    u.set(((BigDecimal) value).unscaledValue());
                    b = u.lo;
                    hi = u.hi;
                }
                case DATE -> b = ((LocalDate) value).toEpochDay();
                case TIMESTAMP -> b = Values.toEpochMicros((LocalDateTime) value);
                case VARCHAR -> v = ((String) value).getBytes(StandardCharsets.UTF_8);
                case BYTEA -> v = (byte[]) value;
            }
        }
        this.bits = b;
        this.decimalHi = hi;
        this.bytes = v;
        this.writer = width(type) == VARIABLE ? new VarWidthWriter(out) : null;
    }

    @Override
    public FieldVector evaluate(VectorSchemaRoot batch, int[] rows, int count) {
        if (writer != null) {
            writer.start(count);
            for (int i = 0; i < count; i++) {
                if (isNull) {
                    writer.setNull(i);
                } else {
                    writer.write(i, bytes, 0, bytes.length);
                }
            }
            return writer.finish(count);
        }
        prepare(count);
        long validity = out.getValidityBufferAddress();
        long data = out.getDataBufferAddress();
        if (count <= filledCount && out.getDataBuffer() == filledData && out.getValidityBuffer() == filledValidity) {
            return finish(count); // still holds the constant from an earlier batch
        }
        filledCount = count;
        filledData = out.getDataBuffer();
        filledValidity = out.getValidityBuffer();
        if (isNull) {
            Bitmaps.clearAll(validity, count);
            return finish(count);
        }
        Bitmaps.setAll(validity, count);
        switch (width(type())) {
            case BIT -> {
                if (bits != 0) {
                    Bitmaps.setAll(data, count);
                } else {
                    Bitmaps.clearAll(data, count);
                }
            }
            case 2 -> {
                for (int i = 0; i < count; i++) {
                    MemoryUtil.putShort(data + ((long) i << 1), (short) bits);
                }
            }
            case 4 -> {
                for (int i = 0; i < count; i++) {
                    MemoryUtil.putInt(data + ((long) i << 2), (int) bits);
                }
            }
            case 8 -> {
                for (int i = 0; i < count; i++) {
                    MemoryUtil.putLong(data + ((long) i << 3), bits);
                }
            }
            case 16 -> {
                for (int i = 0; i < count; i++) {
                    MemoryUtil.putLong(data + ((long) i << 4), bits);
                    MemoryUtil.putLong(data + ((long) i << 4) + 8, decimalHi);
                }
            }
            default -> throw new IllegalStateException();
        }
        return finish(count);
    }
}
