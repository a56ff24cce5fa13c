package dev.duet.planner.exec.expr;

import dev.duet.core.types.DataType;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * SQL's three-valued logic: AND, OR, NOT and the null tests, on boolean vectors a 64-bit word at a
 * time. AND and OR evaluate their right operand only for the rows their left operand leaves
 * undecided (not FALSE for AND, not TRUE for OR), as PostgreSQL in practice does row by row: so
 * {@code x <> 0 AND 10 / x > 1} never divides by zero.
 */
final class BooleanLogic {
    private BooleanLogic() {
    }

    /**
     * Binary AND or OR with SQL NULL logic. A right operand that cannot fail ({@code rightSafe})
     * is evaluated on all rows when most are undecided anyway: cheaper than gathering them.
     */
    static final class Junction extends ComputedEvaluator {
        private final boolean and;
        private final boolean rightSafe;
        private final VectorEvaluator left;
        private final VectorEvaluator right;
        private int[] positions = new int[0];
        private int[] subRows = new int[0];
        /** Scratch of an OR's {@link #select}: the left operand's TRUE rows, the rest, the right's TRUE rows. */
        private int[] leftTrue = new int[0];
        private int[] rest = new int[0];
        private int[] rightTrue = new int[0];

        Junction(boolean and, boolean rightSafe, BufferAllocator allocator, VectorEvaluator left, VectorEvaluator right) {
            super(DataType.BOOLEAN, allocator, left, right);
            this.and = and;
            this.rightSafe = rightSafe;
            this.left = left;
            this.right = right;
        }

        /**
         * AND: the right operand selects among the rows the left one kept (a row where the left
         * operand is NULL is not TRUE, whatever the right one gives, so it is not evaluated
         * there: fewer rows than {@link #evaluate} evaluates, never more). OR: the left operand
         * selects its TRUE rows, the right one selects among the others (FALSE or NULL on the
         * left: the rows {@link #evaluate} evaluates it on), and the two selections are merged;
         * no BOOLEAN vector is built, and each operand's own {@code select} (an AND's chain, a
         * comparison reading the batch in place) does the testing.
         */
        @Override
        public int select(VectorSchemaRoot batch, int[] rows, int count, int[] out) {
            if (and) {
                int n = left.select(batch, rows, count, out);
                return n == 0 ? 0 : right.select(batch, out, n, out);
            }
            if (leftTrue.length < count) {
                leftTrue = new int[count];
                rest = new int[count];
                rightTrue = new int[count];
            }
            int[] a = leftTrue;
            int na = left.select(batch, rows, count, a);
            int[] r = rest;
            int m = 0;
            for (int i = 0, k = 0; i < count; i++) {
                int row = row(rows, i);
                if (k < na && a[k] == row) {
                    k++;
                } else {
                    r[m++] = row;
                }
            }
            int[] b = rightTrue;
            int nb = m == 0 ? 0 : right.select(batch, r, m, b);
            // out may be rows itself: rows is no longer read
            int i = 0;
            int j = 0;
            int o = 0;
            while (i < na && j < nb) {
                out[o++] = a[i] < b[j] ? a[i++] : b[j++];
            }
            while (i < na) {
                out[o++] = a[i++];
            }
            while (j < nb) {
                out[o++] = b[j++];
            }
            return o;
        }

        private long undecidedWord(long validity, long values, int w, int count) {
            return undecidedWordOf(and, validity, values, w, count);
        }

        @Override
        public FieldVector evaluate(VectorSchemaRoot batch, int[] rows, int count) {
            FieldVector l = left.evaluate(batch, rows, count);
            long lv = l.getValidityBufferAddress();
            long ld = l.getDataBufferAddress();
            if (positions.length < count) {
                positions = new int[count];
                subRows = new int[count];
            }
            // undecided rows: NULL, or the neutral value (TRUE for AND, FALSE for OR)
            int words = Bitmaps.words(count);
            int undecided = 0;
            for (int w = 0; w < words; w++) {
                undecided += Long.bitCount(undecidedWord(lv, ld, w, count));
            }
            if (undecided == count || (rightSafe && undecided >= count / 2)) {
                FieldVector r = right.evaluate(batch, rows, count);
                long rv = r.getValidityBufferAddress();
                long rd = r.getDataBufferAddress();
                prepare(count);
                long ov = out.getValidityBufferAddress();
                long od = out.getDataBufferAddress();
                for (int w = 0; w < Bitmaps.words(count); w++) {
                    long a = Bitmaps.word(lv, w, count);
                    long av = Bitmaps.word(ld, w, count);
                    long b = Bitmaps.word(rv, w, count);
                    long bv = Bitmaps.word(rd, w, count);
                    long t;
                    long f;
                    if (and) {
                        t = a & av & b & bv;
                        f = (a & ~av) | (b & ~bv);
                    } else {
                        t = (a & av) | (b & bv);
                        f = a & ~av & b & ~bv;
                    }
                    MemoryUtil.putLong(ov + 8L * w, t | f);
                    MemoryUtil.putLong(od + 8L * w, t);
                }
                return finish(count);
            }
            // Rows decided by the left operand keep its value; the others combine with the right.
            FieldVector r = null;
            if (undecided > 0) {
                int j = 0;
                for (int w = 0; w < words; w++) {
                    long bits = undecidedWord(lv, ld, w, count);
                    while (bits != 0) {
                        int i = (w << 6) + Long.numberOfTrailingZeros(bits);
                        positions[j] = i;
                        subRows[j++] = row(rows, i);
                        bits &= bits - 1;
                    }
                }
                r = right.evaluate(batch, subRows, undecided);
            }
            prepare(count);
            long ov = out.getValidityBufferAddress();
            long od = out.getDataBufferAddress();
            Bitmaps.copy(lv, ov, count);
            Bitmaps.copy(ld, od, count);
            if (r != null) {
                long rv = r.getValidityBufferAddress();
                long rd = r.getDataBufferAddress();
                for (int j = 0; j < undecided; j++) {
                    int i = positions[j];
                    boolean lValid = Bitmaps.get(lv, i);
                    boolean rValid = Bitmaps.get(rv, j);
                    boolean rValue = rValid && Bitmaps.get(rd, j);
                    // the left is NULL or the neutral value (TRUE for AND, FALSE for OR)
                    boolean valid;
                    boolean value;
                    if (rValid && rValue != and) { // the right decides: FALSE for AND, TRUE for OR
                        valid = true;
                        value = rValue;
                    } else if (lValid && rValid) {
                        valid = true;
                        value = and;
                    } else {
                        valid = false;
                        value = false;
                    }
                    Bitmaps.put(ov, i, valid);
                    Bitmaps.put(od, i, value);
                }
            }
            return finish(count);
        }
    }

    /** Bits of word {@code w} of the rows whose left value does not decide the result (bits past {@code count} clear). */
    private static long undecidedWordOf(boolean and, long validity, long values, int w, int count) {
        long v = Bitmaps.word(validity, w, count);
        long d = Bitmaps.word(values, w, count);
        long decided = and ? v & ~d : v & d;
        long bits = ~decided;
        int rest = count - (w << 6);
        return rest >= 64 ? bits : bits & ((1L << rest) - 1);
    }

    /** The unary boolean tests, each a function of the operand's validity and value words. */
    enum Test { NOT, IS_NULL, IS_NOT_NULL, IS_TRUE, IS_NOT_TRUE, IS_FALSE, IS_NOT_FALSE }

    static final class UnaryTest extends ComputedEvaluator {
        private final Test test;
        private final VectorEvaluator input;

        UnaryTest(Test test, BufferAllocator allocator, VectorEvaluator input) {
            super(DataType.BOOLEAN, allocator, input);
            this.test = test;
            this.input = input;
        }

        @Override
        public FieldVector evaluate(VectorSchemaRoot batch, int[] rows, int count) {
            FieldVector in = input.evaluate(batch, rows, count);
            long iv = in.getValidityBufferAddress();
            boolean bool = in.getMinorType() == org.apache.arrow.vector.types.Types.MinorType.BIT;
            long id = bool ? in.getDataBufferAddress() : 0;
            prepare(count);
            long ov = out.getValidityBufferAddress();
            long od = out.getDataBufferAddress();
            for (int w = 0; w < Bitmaps.words(count); w++) {
                long v = Bitmaps.word(iv, w, count);
                long d = bool ? Bitmaps.word(id, w, count) : 0;
                long valid = -1L;
                long value = switch (test) {
                    case NOT -> {
                        valid = v;
                        yield ~d;
                    }
                    case IS_NULL -> ~v;
                    case IS_NOT_NULL -> v;
                    case IS_TRUE -> v & d;
                    case IS_NOT_TRUE -> ~(v & d);
                    case IS_FALSE -> v & ~d;
                    case IS_NOT_FALSE -> ~(v & ~d);
                };
                MemoryUtil.putLong(ov + 8L * w, valid);
                MemoryUtil.putLong(od + 8L * w, value);
            }
            return finish(count);
        }
    }
}
