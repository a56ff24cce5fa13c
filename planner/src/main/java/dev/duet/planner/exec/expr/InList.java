package dev.duet.planner.exec.expr;

import dev.duet.core.types.DataType;
import java.util.Arrays;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * {@code x IN (constants)} and {@code x NOT IN (constants)}, from a SEARCH whose Sarg is a set of
 * points or the complement of one: a binary search in the sorted constants per row instead of an
 * OR of comparisons. Integers, dates, timestamps and narrow decimals compare as longs, strings
 * as unsigned bytes. A NULL operand gives NULL, or the Sarg's value for NULL when it has one.
 */
final class InList extends ComputedEvaluator {
    private final VectorEvaluator input;
    private final long[] longKeys;
    private final byte[][] byteKeys;
    private final boolean negated;
    /** The result for a NULL operand: null for NULL. */
    private final Boolean nullAs;

    private InList(VectorEvaluator input, long[] longKeys, byte[][] byteKeys, boolean negated, Boolean nullAs,
            BufferAllocator allocator) {
        super(DataType.BOOLEAN, allocator, input);
        this.input = input;
        this.longKeys = longKeys;
        this.byteKeys = byteKeys;
        this.negated = negated;
        this.nullAs = nullAs;
    }

    /** Whether values of {@code type} can be looked up here. */
    static boolean supports(DataType type) {
        return switch (type.kind()) {
            case SMALLINT, INTEGER, BIGINT, DATE, TIMESTAMP, VARCHAR, BYTEA -> true;
            case DECIMAL -> type.precision() <= 18;
            default -> false;
        };
    }

    static InList ofLongs(VectorEvaluator input, long[] keys, boolean negated, Boolean nullAs, BufferAllocator allocator) {
        long[] sorted = keys.clone();
        Arrays.sort(sorted);
        return new InList(input, sorted, null, negated, nullAs, allocator);
    }

    static InList ofBytes(VectorEvaluator input, byte[][] keys, boolean negated, Boolean nullAs, BufferAllocator allocator) {
        byte[][] sorted = keys.clone();
        Arrays.sort(sorted, Arrays::compareUnsigned);
        return new InList(input, null, sorted, negated, nullAs, allocator);
    }

    @Override
    public FieldVector evaluate(VectorSchemaRoot batch, int[] rows, int count) {
        FieldVector in = input.evaluate(batch, rows, count);
        long iv = in.getValidityBufferAddress();
        long a = in.getDataBufferAddress();
        long offsets = byteKeys != null ? in.getOffsetBufferAddress() : 0;
        prepare(count);
        long ov = out.getValidityBufferAddress();
        long od = out.getDataBufferAddress();
        if (nullAs == null) {
            Bitmaps.copy(iv, ov, count);
        } else {
            Bitmaps.setAll(ov, count);
        }
        Bitmaps.clearAll(od, count);
        DataType.Kind kind = input.type().kind();
        for (int i = 0; i < count; i++) {
            boolean result;
            if (!Bitmaps.get(iv, i)) {
                if (nullAs == null) {
                    continue;
                }
                result = nullAs;
            } else if (byteKeys != null) {
                int start = MemoryUtil.getInt(offsets + 4L * i);
                int len = MemoryUtil.getInt(offsets + 4L * i + 4) - start;
                result = containsBytes(a + start, len) != negated;
            } else {
                long v = switch (kind) {
                    case SMALLINT -> MemoryUtil.getShort(a + 2L * i);
                    case INTEGER, DATE -> MemoryUtil.getInt(a + 4L * i);
                    case BIGINT, TIMESTAMP -> MemoryUtil.getLong(a + 8L * i);
                    case DECIMAL -> MemoryUtil.getLong(a + 16L * i);
                    default -> throw new IllegalStateException();
                };
                result = (Arrays.binarySearch(longKeys, v) >= 0) != negated;
            }
            if (result) {
                Bitmaps.set(od, i);
            }
        }
        return finish(count);
    }

    private boolean containsBytes(long address, int len) {
        int lo = 0;
        int hi = byteKeys.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Utf8Bytes.compare(address, len, byteKeys[mid]);
            if (c == 0) {
                return true;
            }
            if (c > 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return false;
    }
}
