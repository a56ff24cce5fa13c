package dev.duet.planner.exec.expr;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.types.DataType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * String functions on UTF-8 bytes, with PostgreSQL's semantics and character (code point)
 * positions: SUBSTRING, POSITION, UPPER / LOWER, TRIM, CHAR_LENGTH, OCTET_LENGTH, {@code ||},
 * CONCAT and LIKE / ILIKE.
 */
final class StringFunctions {
    private StringFunctions() {
    }

    private static int start(long offsets, int i) {
        return MemoryUtil.getInt(offsets + 4L * i);
    }

    private static int length(long offsets, int i) {
        return MemoryUtil.getInt(offsets + 4L * i + 4) - MemoryUtil.getInt(offsets + 4L * i);
    }

    /** Base of the string-valued functions: NULL if any operand is NULL, else a computed string. */
    private abstract static class StringResult extends ComputedEvaluator {
        protected final VectorEvaluator[] operands;
        protected final VarWidthWriter writer;
        protected final FieldVector[] values;

        StringResult(DataType type, BufferAllocator allocator, VectorEvaluator... operands) {
            super(type, allocator, operands);
            this.operands = operands;
            this.writer = new VarWidthWriter(out);
            this.values = new FieldVector[operands.length];
        }

        @Override
        public final FieldVector evaluate(VectorSchemaRoot batch, int[] rows, int count) {
            for (int k = 0; k < operands.length; k++) {
                values[k] = operands[k].evaluate(batch, rows, count);
            }
            writer.start(count);
            for (int i = 0; i < count; i++) {
                boolean isNull = false;
                for (FieldVector v : values) {
                    if (!Bitmaps.get(v.getValidityBufferAddress(), i)) {
                        isNull = true;
                        break;
                    }
                }
                if (isNull) {
                    writer.setNull(i);
                } else {
                    compute(i);
                }
            }
            return writer.finish(count);
        }

        /** Writes row {@code i} (all operands non-null) through {@link #writer}. */
        protected abstract void compute(int i);
    }

    /** SUBSTRING(s FROM start [FOR length]); start and length are BIGINT. */
    static final class Substring extends StringResult {
        Substring(DataType type, BufferAllocator allocator, VectorEvaluator... operands) {
            super(type, allocator, operands);
        }

        @Override
        protected void compute(int i) {
            FieldVector s = values[0];
            long offsets = s.getOffsetBufferAddress();
            long src = s.getDataBufferAddress() + start(offsets, i);
            int len = length(offsets, i);
            long from = MemoryUtil.getLong(values[1].getDataBufferAddress() + 8L * i);
            long to = Long.MAX_VALUE;
            if (values.length > 2) {
                long n = MemoryUtil.getLong(values[2].getDataBufferAddress() + 8L * i);
                if (n < 0) {
                    throw new DuetException(SqlState.INVALID_PARAMETER_VALUE, "negative substring length not allowed");
                }
                to = from > Long.MAX_VALUE - n ? Long.MAX_VALUE : from + n;
            }
            from = Math.max(from, 1);
            if (to <= from) {
                writer.write(i, src, 0);
                return;
            }
            int b0 = Utf8Bytes.offsetOfCodePoint(src, len, from - 1);
            int b1 = to == Long.MAX_VALUE ? len : b0 + Utf8Bytes.offsetOfCodePoint(src + b0, len - b0, to - from);
            writer.write(i, src + b0, b1 - b0);
        }
    }

    /** UPPER / LOWER with simple (one to one) case mapping. */
    static final class CaseMap extends StringResult {
        private final boolean upper;

        CaseMap(boolean upper, DataType type, BufferAllocator allocator, VectorEvaluator input) {
            super(type, allocator, input);
            this.upper = upper;
        }

        @Override
        protected void compute(int i) {
            FieldVector s = values[0];
            long offsets = s.getOffsetBufferAddress();
            int len = length(offsets, i);
            long dst = writer.reserve(Utf8Bytes.maxMappedLength(len));
            long src = s.getDataBufferAddress() + start(offsets, i);
            writer.commit(i, Utf8Bytes.mapCase(src, len, dst, upper));
        }
    }

    /** TRIM([BOTH|LEADING|TRAILING] chars FROM s): removes the characters of {@code chars} from the ends. */
    static final class Trim extends StringResult {
        private final boolean leading;
        private final boolean trailing;
        private int[] set = new int[8];

        /** @param operands the characters to remove, then the string */
        Trim(boolean leading, boolean trailing, DataType type, BufferAllocator allocator, VectorEvaluator... operands) {
            super(type, allocator, operands);
            this.leading = leading;
            this.trailing = trailing;
        }

        @Override
        protected void compute(int i) {
            FieldVector chars = values[0];
            long co = chars.getOffsetBufferAddress();
            long cs = chars.getDataBufferAddress() + start(co, i);
            int cl = length(co, i);
            int n = 0;
            for (int p = 0; p < cl; p += Utf8Bytes.sequenceLength(MemoryUtil.getByte(cs + p))) {
                if (n == set.length) {
                    set = Arrays.copyOf(set, n * 2);
                }
                set[n++] = Utf8Bytes.decode(cs + p);
            }
            FieldVector s = values[1];
            long so = s.getOffsetBufferAddress();
            long src = s.getDataBufferAddress() + start(so, i);
            int len = length(so, i);
            int b = 0;
            int e = len;
            if (leading) {
                while (b < e && contains(set, n, Utf8Bytes.decode(src + b))) {
                    b += Utf8Bytes.sequenceLength(MemoryUtil.getByte(src + b));
                }
            }
            if (trailing) {
                while (e > b) {
                    int p = e - 1;
                    while (p > b && (MemoryUtil.getByte(src + p) & 0xC0) == 0x80) {
                        p--;
                    }
                    if (!contains(set, n, Utf8Bytes.decode(src + p))) {
                        break;
                    }
                    e = p;
                }
            }
            writer.write(i, src + b, e - b);
        }

        private static boolean contains(int[] set, int n, int cp) {
            for (int k = 0; k < n; k++) {
                if (set[k] == cp) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code a || b} (strings or byte strings). */
    static final class Concat extends StringResult {
        Concat(DataType type, BufferAllocator allocator, VectorEvaluator... operands) {
            super(type, allocator, operands);
        }

        @Override
        protected void compute(int i) {
            int total = 0;
            for (FieldVector v : values) {
                total += length(v.getOffsetBufferAddress(), i);
            }
            long dst = writer.reserve(total);
            for (FieldVector v : values) {
                long offsets = v.getOffsetBufferAddress();
                int len = length(offsets, i);
                MemoryUtil.copyMemory(v.getDataBufferAddress() + start(offsets, i), dst, len);
                dst += len;
            }
            writer.commit(i, total);
        }
    }

    /** PostgreSQL's {@code concat(a, b, ...)}: NULL arguments are skipped; never NULL. */
    static final class ConcatSkippingNulls extends ComputedEvaluator {
        private final VectorEvaluator[] operands;
        private final FieldVector[] values;
        private final VarWidthWriter writer;

        ConcatSkippingNulls(DataType type, BufferAllocator allocator, VectorEvaluator... operands) {
            super(type, allocator, operands);
            this.operands = operands;
            this.values = new FieldVector[operands.length];
            this.writer = new VarWidthWriter(out);
        }

        @Override
        public FieldVector evaluate(VectorSchemaRoot batch, int[] rows, int count) {
            for (int k = 0; k < operands.length; k++) {
                values[k] = operands[k].evaluate(batch, rows, count);
            }
            writer.start(count);
            for (int i = 0; i < count; i++) {
                int total = 0;
                for (FieldVector v : values) {
                    if (Bitmaps.get(v.getValidityBufferAddress(), i)) {
                        total += length(v.getOffsetBufferAddress(), i);
                    }
                }
                long dst = writer.reserve(total);
                for (FieldVector v : values) {
                    if (Bitmaps.get(v.getValidityBufferAddress(), i)) {
                        long offsets = v.getOffsetBufferAddress();
                        int len = length(offsets, i);
                        MemoryUtil.copyMemory(v.getDataBufferAddress() + start(offsets, i), dst, len);
                        dst += len;
                    }
                }
                writer.commit(i, total);
            }
            return writer.finish(count);
        }
    }

    /** A function of strings whose result is a fixed-width value (INTEGER or BOOLEAN). */
    private abstract static class FixedResult extends ComputedEvaluator {
        protected final VectorEvaluator[] operands;
        protected final FieldVector[] values;

        FixedResult(DataType type, BufferAllocator allocator, VectorEvaluator... operands) {
            super(type, allocator, operands);
            this.operands = operands;
            this.values = new FieldVector[operands.length];
        }

        @Override
        public final FieldVector evaluate(VectorSchemaRoot batch, int[] rows, int count) {
            for (int k = 0; k < operands.length; k++) {
                values[k] = operands[k].evaluate(batch, rows, count);
            }
            prepare(count);
            long ov = out.getValidityBufferAddress();
            Bitmaps.copy(values[0].getValidityBufferAddress(), ov, count);
            for (int k = 1; k < values.length; k++) {
                Bitmaps.and(ov, values[k].getValidityBufferAddress(), ov, count);
            }
            long o = out.getDataBufferAddress();
            if (type().kind() == DataType.Kind.BOOLEAN) {
                Bitmaps.clearAll(o, count);
            }
            for (int i = 0; i < count; i++) {
                if (Bitmaps.get(ov, i)) {
                    compute(i, o);
                }
            }
            return finish(count);
        }

        protected abstract void compute(int i, long out);
    }

    /** CHAR_LENGTH (code points) or OCTET_LENGTH (bytes), as INTEGER. */
    static final class Length extends FixedResult {
        private final boolean characters;

        Length(boolean characters, BufferAllocator allocator, VectorEvaluator input) {
            super(DataType.INTEGER, allocator, input);
            this.characters = characters;
        }

        @Override
        protected void compute(int i, long o) {
            FieldVector s = values[0];
            long offsets = s.getOffsetBufferAddress();
            int len = length(offsets, i);
            MemoryUtil.putInt(o + 4L * i, characters
                    ? Utf8Bytes.codePoints(s.getDataBufferAddress() + start(offsets, i), len) : len);
        }
    }

    /** POSITION(needle IN haystack [FROM start]): 1-based character position, 0 if absent. */
    static final class Position extends FixedResult {
        Position(BufferAllocator allocator, VectorEvaluator... operands) {
            super(DataType.INTEGER, allocator, operands);
        }

        @Override
        protected void compute(int i, long o) {
            long no = values[0].getOffsetBufferAddress();
            long needle = values[0].getDataBufferAddress() + start(no, i);
            int needleLen = length(no, i);
            long ho = values[1].getOffsetBufferAddress();
            long hay = values[1].getDataBufferAddress() + start(ho, i);
            int hayLen = length(ho, i);
            int fromChar = 0;
            if (values.length > 2) {
                long f = MemoryUtil.getLong(values[2].getDataBufferAddress() + 8L * i);
                if (f > Utf8Bytes.codePoints(hay, hayLen) + 1L) {
                    MemoryUtil.putInt(o + 4L * i, 0);
                    return;
                }
                fromChar = (int) Math.max(f - 1, 0);
            }
            int fromByte = Utf8Bytes.offsetOfCodePoint(hay, hayLen, fromChar);
            int at = Utf8Bytes.indexOf(hay, hayLen, needle, needleLen, fromByte);
            MemoryUtil.putInt(o + 4L * i, at < 0 ? 0 : Utf8Bytes.codePoints(hay, at) + 1);
        }
    }

    /**
     * {@code s [NOT] LIKE pattern [ESCAPE e]} and ILIKE. A constant pattern is compiled once; a
     * pattern from a column is compiled per row. PostgreSQL's default escape is the backslash.
     */
    static final class Like extends FixedResult {
        private final LikePattern constant;
        private final String escape;
        private final boolean caseInsensitive;
        private final boolean negated;
        private final BufferAllocator allocator;
        private ArrowBuf lowered;

        /** @param operands the string, then (if {@code constant} is null) the pattern */
        Like(LikePattern constant, String escape, boolean caseInsensitive, boolean negated, BufferAllocator allocator,
                VectorEvaluator... operands) {
            super(DataType.BOOLEAN, allocator, operands);
            this.constant = constant;
            this.escape = escape;
            this.caseInsensitive = caseInsensitive;
            this.negated = negated;
            this.allocator = allocator;
        }

        /** Compiles a pattern as this operator reads it (lower-cased for ILIKE). */
        static LikePattern compile(String pattern, String escape, boolean caseInsensitive) {
            return LikePattern.compile(caseInsensitive ? lower(pattern) : pattern, escape);
        }

        private static String lower(String s) {
            StringBuilder sb = new StringBuilder(s.length());
            s.codePoints().forEach(cp -> sb.appendCodePoint(Character.toLowerCase(cp)));
            return sb.toString();
        }

        @Override
        protected void compute(int i, long o) {
            FieldVector s = values[0];
            long offsets = s.getOffsetBufferAddress();
            long src = s.getDataBufferAddress() + start(offsets, i);
            int len = length(offsets, i);
            if (caseInsensitive) {
                int need = Utf8Bytes.maxMappedLength(len);
                if (lowered == null || lowered.capacity() < need) {
                    if (lowered != null) {
                        lowered.close();
                        lowered = null;
                    }
                    lowered = allocator.buffer(Math.max(need, 256));
                }
                len = Utf8Bytes.mapCase(src, len, lowered.memoryAddress(), false);
                src = lowered.memoryAddress();
            }
            LikePattern p = constant;
            if (p == null) {
                FieldVector pv = values[1];
                long po = pv.getOffsetBufferAddress();
                byte[] bytes = new byte[length(po, i)];
                MemoryUtil.copyFromMemory(pv.getDataBufferAddress() + start(po, i), bytes, 0, bytes.length);
                p = compile(new String(bytes, StandardCharsets.UTF_8), escape, caseInsensitive);
            }
            if (p.matches(src, len) != negated) {
                Bitmaps.set(o, i);
            }
        }

        @Override
        public void close() {
            if (lowered != null) {
                lowered.close();
                lowered = null;
            }
            super.close();
        }
    }
}
