package dev.duet.planner.exec.expr;

import dev.duet.core.types.DataType;
import java.util.Arrays;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * {@code x IN (constants)} and {@code x NOT IN (constants)}, from a SEARCH whose Sarg is a set of
 * points or the complement of one. Integers, dates, timestamps and narrow decimals compare as
 * longs: up to {@link #SMALL} keys by ORing an equality with each (no branch on the data), more by
 * a binary search in the sorted keys. Strings compare by length and eight bytes at a time
 * ({@link ByteKeys}) up to {@link #SMALL} keys, by a binary search of unsigned byte order beyond.
 * A NULL operand gives NULL, or the Sarg's value for NULL when it has one.
 *
 * <p>When the operand is a column of the batch, the rows are tested where they are in the batch's
 * vector, also when only some rows are asked for (no gather of their values first).
 */
final class InList extends ComputedEvaluator {
    /** Keys up to which every key is compared with every value. */
    static final int SMALL = 8;

    private final VectorEvaluator input;
    /** The batch column the operand is, or -1. */
    private final int column;
    private final DataType.Kind kind;
    private final long[] longKeys;
    private final byte[][] byteKeys;
    private final ByteKeys smallByteKeys;
    private final long negated;
    /** The result for a NULL operand: null for NULL. */
    private final Boolean nullAs;
    private long data;
    private long offsets;
    private long end;

    private InList(VectorEvaluator input, long[] longKeys, byte[][] byteKeys, boolean negated, Boolean nullAs,
            BufferAllocator allocator) {
        super(DataType.BOOLEAN, allocator, input);
        this.input = input;
        this.column = input instanceof InputRefEvaluator ref ? ref.index() : -1;
        this.kind = input.type().kind();
        this.longKeys = longKeys;
        this.byteKeys = byteKeys;
        this.smallByteKeys = byteKeys != null && byteKeys.length <= SMALL ? new ByteKeys(byteKeys) : null;
        this.negated = negated ? 1 : 0;
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

    private void bind(FieldVector in) {
        data = in.getDataBufferAddress();
        if (byteKeys != null) {
            offsets = in.getOffsetBufferAddress();
            end = data + in.getDataBuffer().capacity();
        }
    }

    @Override
    public FieldVector evaluate(VectorSchemaRoot batch, int[] rows, int count) {
        boolean direct = column >= 0 && rows != null;
        FieldVector in = direct ? batch.getVector(column) : input.evaluate(batch, rows, count);
        int[] at = direct ? rows : null; // position i of the operand is row at[i] of its vector
        bind(in);
        long iv = in.getValidityBufferAddress();
        boolean nulls = in.getNullCount() != 0;
        prepare(count);
        long ov = out.getValidityBufferAddress();
        long od = out.getDataBufferAddress();
        long nullValue = nullAs == null ? 0 : -1L;
        long nullResult = nullAs != null && nullAs ? -1L : 0;
        for (int from = 0; from < count; from += 64) {
            int to = Math.min(count, from + 64);
            long bits = 0;
            long valid = -1L;
            for (int i = from; i < to; i++) {
                int r = at == null ? i : at[i];
                bits |= test(r) << (i - from);
                if (nulls) {
                    long bit = (MemoryUtil.getByte(iv + (r >>> 3)) >> (r & 7)) & 1;
                    valid &= ~((bit ^ 1) << (i - from));
                }
            }
            // a NULL operand: NULL, or the Sarg's value for NULL
            MemoryUtil.putLong(ov + (from >>> 3), valid | nullValue);
            MemoryUtil.putLong(od + (from >>> 3), (bits & valid) | (nullResult & ~valid));
        }
        return finish(count);
    }

    @Override
    public int select(VectorSchemaRoot batch, int[] rows, int count, int[] out) {
        if (column < 0) {
            return super.select(batch, rows, count, out);
        }
        FieldVector in = batch.getVector(column);
        boolean nulls = in.getNullCount() != 0;
        if (nulls && nullAs != null && nullAs) {
            return super.select(batch, rows, count, out); // NULL operands count as TRUE: rare, evaluate
        }
        bind(in);
        int n = 0;
        for (int j = 0; j < count; j++) {
            int r = rows == null ? j : rows[j];
            out[n] = r;
            n += (int) test(r);
        }
        return nulls ? Bitmaps.keepSet(in.getValidityBufferAddress(), out, n) : n;
    }

    /** 1 if the (valid) value at row {@code r} of the bound vector is in the list (not in it, negated), else 0. */
    private long test(int r) {
        long hit;
        if (byteKeys != null) {
            int start = MemoryUtil.getInt(offsets + 4L * r);
            int len = MemoryUtil.getInt(offsets + 4L * r + 4) - start;
            hit = smallByteKeys != null ? smallByteKeys.matches(data + start, len, end) : containsBytes(data + start, len);
        } else {
            long v = switch (kind) {
                case SMALLINT -> MemoryUtil.getShort(data + 2L * r);
                case INTEGER, DATE -> MemoryUtil.getInt(data + 4L * r);
                case BIGINT, TIMESTAMP -> MemoryUtil.getLong(data + 8L * r);
                case DECIMAL -> MemoryUtil.getLong(data + 16L * r);
                default -> throw new IllegalStateException();
            };
            if (longKeys.length <= SMALL) {
                hit = 0;
                for (long k : longKeys) {
                    hit |= Comparison.equal(v, k);
                }
            } else {
                hit = Arrays.binarySearch(longKeys, v) >= 0 ? 1 : 0;
            }
        }
        return hit ^ negated;
    }

    private long containsBytes(long address, int len) {
        int lo = 0;
        int hi = byteKeys.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Utf8Bytes.compare(address, len, byteKeys[mid]);
            if (c == 0) {
                return 1;
            }
            if (c > 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return 0;
    }
}
