package dev.duet.planner.exec.expr;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.types.DataType;
import dev.duet.core.types.DataType.Kind;
import dev.duet.core.types.TextValues;
import dev.duet.core.types.Values;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HexFormat;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * CAST between Duet's types, as PostgreSQL converts: integers narrow with a range check (22003);
 * floating point to integer rounds to nearest, ties to even ({@code rint}); DECIMAL to integer and
 * DECIMAL rescaling round half away from zero and check the precision (22003); text parses with
 * PostgreSQL's input rules (22P02 on bad text, see {@link TextValues}); values format as
 * PostgreSQL's output functions write them ({@link PgText}; a BOOLEAN as {@code true} /
 * {@code false}); a cast to VARCHAR(n) truncates to n characters, as an explicit cast does.
 */
final class Cast {
    private Cast() {
    }

    /** Whether CAST from {@code from} to {@code to} is implemented. */
    static boolean supports(DataType from, DataType to) {
        Kind f = from.kind();
        Kind t = to.kind();
        if (f == t) {
            return true;
        }
        if (t == Kind.VARCHAR || f == Kind.VARCHAR) {
            return true;
        }
        if (isNumeric(f) && isNumeric(t)) {
            return true;
        }
        return (f == Kind.DATE && t == Kind.TIMESTAMP) || (f == Kind.TIMESTAMP && t == Kind.DATE);
    }

    static boolean isNumeric(Kind k) {
        return switch (k) {
            case SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, DECIMAL -> true;
            default -> false;
        };
    }

    /** Whether values of {@code from} already are values of {@code to}: same storage, nothing to check. */
    static boolean isNoOp(DataType from, DataType to) {
        if (from.kind() != to.kind()) {
            return false;
        }
        return switch (to.kind()) {
            case DECIMAL -> from.scale() == to.scale() && from.precision() <= to.precision();
            case VARCHAR -> to.length() == DataType.UNBOUNDED
                    || (from.length() != DataType.UNBOUNDED && from.length() <= to.length());
            default -> true;
        };
    }

    static VectorEvaluator create(DataType from, DataType to, BufferAllocator allocator, VectorEvaluator input) {
        Kind f = from.kind();
        Kind t = to.kind();
        if (t == Kind.VARCHAR) {
            return new ToText(from, to, allocator, input);
        }
        if (f == Kind.VARCHAR) {
            return new FromText(to, allocator, input);
        }
        if (f == Kind.BYTEA && t == Kind.BYTEA || f == Kind.BOOLEAN && t == Kind.BOOLEAN) {
            return input;
        }
        if (isNumeric(f) && isNumeric(t)) {
            return new Numeric(from, to, allocator, input);
        }
        if ((f == Kind.DATE || f == Kind.TIMESTAMP) && (t == Kind.DATE || t == Kind.TIMESTAMP)) {
            return new DateTime(to, allocator, input);
        }
        throw EvaluationErrors.unsupported("CAST from " + from + " to " + to);
    }

    /** Numbers to numbers. */
    private static final class Numeric extends UnaryEvaluator {
        private final DataType from;
        private final Int128 x = new Int128();

        Numeric(DataType from, DataType to, BufferAllocator allocator, VectorEvaluator input) {
            super(to, allocator, input);
            this.from = from;
        }

        @Override
        protected void compute(FieldVector in, int n, boolean allValid, long validity) {
            long a = in.getDataBufferAddress();
            long o = out.getDataBufferAddress();
            Kind f = from.kind();
            Kind t = type().kind();
            for (int i = 0; i < n; i++) {
                if (!allValid && !Bitmaps.get(validity, i)) {
                    continue;
                }
                switch (f) {
                    case SMALLINT -> writeLong(o, i, MemoryUtil.getShort(a + 2L * i), t);
                    case INTEGER -> writeLong(o, i, MemoryUtil.getInt(a + 4L * i), t);
                    case BIGINT -> writeLong(o, i, MemoryUtil.getLong(a + 8L * i), t);
                    case REAL -> writeDouble(o, i, Float.intBitsToFloat(MemoryUtil.getInt(a + 4L * i)), t, true);
                    case DOUBLE -> writeDouble(o, i, Double.longBitsToDouble(MemoryUtil.getLong(a + 8L * i)), t, false);
                    case DECIMAL -> {
                        x.load(a + 16L * i);
                        writeDecimal(o, i, t);
                    }
                    default -> throw new IllegalStateException();
                }
            }
        }

        private void writeLong(long o, int i, long v, Kind t) {
            switch (t) {
                case SMALLINT -> {
                    if (v != (short) v) {
                        throw EvaluationErrors.outOfRange(type());
                    }
                    MemoryUtil.putShort(o + 2L * i, (short) v);
                }
                case INTEGER -> {
                    if (v != (int) v) {
                        throw EvaluationErrors.outOfRange(type());
                    }
                    MemoryUtil.putInt(o + 4L * i, (int) v);
                }
                case BIGINT -> MemoryUtil.putLong(o + 8L * i, v);
                case REAL -> MemoryUtil.putInt(o + 4L * i, Float.floatToRawIntBits((float) v));
                case DOUBLE -> MemoryUtil.putLong(o + 8L * i, Double.doubleToRawLongBits((double) v));
                case DECIMAL -> {
                    x.set(v);
                    storeDecimal(o, i, 0);
                }
                default -> throw new IllegalStateException();
            }
        }

        private void writeDouble(long o, int i, double d, Kind t, boolean fromReal) {
            switch (t) {
                case SMALLINT, INTEGER, BIGINT -> {
                    double r = Math.rint(d);
                    long min = t == Kind.SMALLINT ? Short.MIN_VALUE : t == Kind.INTEGER ? Integer.MIN_VALUE : Long.MIN_VALUE;
                    // -0x1p63 is Long.MIN_VALUE exactly; 0x1p63 is one past Long.MAX_VALUE.
                    if (Double.isNaN(r) || r < Math.max(min, -0x1p63) || r >= 0x1p63) {
                        throw EvaluationErrors.outOfRange(type());
                    }
                    writeLong(o, i, (long) r, t);
                }
                case REAL -> {
                    float f = (float) d;
                    if (Float.isInfinite(f) && !Double.isInfinite(d)) {
                        throw EvaluationErrors.outOfRange(type());
                    }
                    if (f == 0.0f && d != 0.0) {
                        throw EvaluationErrors.underflow();
                    }
                    MemoryUtil.putInt(o + 4L * i, Float.floatToRawIntBits(f));
                }
                case DOUBLE -> MemoryUtil.putLong(o + 8L * i, Double.doubleToRawLongBits(d));
                case DECIMAL -> {
                    if (Double.isNaN(d) || Double.isInfinite(d)) {
                        throw EvaluationErrors.outOfRange(type());
                    }
                    // The shortest decimal that reads back as the same value, as PostgreSQL converts.
                    BigDecimal bd = fromReal ? new BigDecimal(Float.toString((float) d)) : BigDecimal.valueOf(d);
                    int integerDigits = bd.precision() - bd.scale();
                    if (integerDigits > type().precision() - type().scale()) {
                        throw EvaluationErrors.outOfRange(type());
                    }
                    BigDecimal r = bd.setScale(type().scale(), RoundingMode.HALF_UP);
                    if (r.precision() > type().precision() && r.signum() != 0) {
                        throw EvaluationErrors.outOfRange(type());
                    }
                    x.set(r.unscaledValue());
                    storeDecimal(o, i, type().scale());
                }
                default -> throw new IllegalStateException();
            }
        }

        private void writeDecimal(long o, int i, Kind t) {
            int scale = from.scale();
            switch (t) {
                case SMALLINT, INTEGER, BIGINT -> {
                    x.scaleDown(scale, Int128.Rounding.HALF_UP);
                    if (!x.fitsLong()) {
                        throw EvaluationErrors.outOfRange(type());
                    }
                    writeLong(o, i, x.lo, t);
                }
                case REAL -> {
                    double d = x.toDouble(scale);
                    MemoryUtil.putInt(o + 4L * i, Float.floatToRawIntBits((float) d));
                }
                case DOUBLE -> MemoryUtil.putLong(o + 8L * i, Double.doubleToRawLongBits(x.toDouble(scale)));
                case DECIMAL -> storeDecimal(o, i, scale);
                default -> throw new IllegalStateException();
            }
        }

        /** Rescales {@link #x} from {@code scale} to the target's, checks its precision, stores it. */
        private void storeDecimal(long o, int i, int scale) {
            int s = type().scale();
            if (scale > s) {
                x.scaleDown(scale - s, Int128.Rounding.HALF_UP);
            } else if (scale < s && !x.scaleUp(s - scale)) {
                throw EvaluationErrors.outOfRange(type());
            }
            if (!x.fitsPrecision(type().precision())) {
                throw EvaluationErrors.outOfRange(type());
            }
            x.store(o + 16L * i);
        }
    }

    /** DATE to TIMESTAMP (midnight) and back (the day). */
    private static final class DateTime extends UnaryEvaluator {
        /** Days from 1970 whose midnight still fits a microsecond timestamp. */
        private static final long MAX_TIMESTAMP_DAY = Long.MAX_VALUE / CivilTime.MICROS_PER_DAY - 1;

        DateTime(DataType to, BufferAllocator allocator, VectorEvaluator input) {
            super(to, allocator, input);
        }

        @Override
        protected void compute(FieldVector in, int n, boolean allValid, long validity) {
            long a = in.getDataBufferAddress();
            long o = out.getDataBufferAddress();
            boolean toTimestamp = type().kind() == Kind.TIMESTAMP;
            for (int i = 0; i < n; i++) {
                if (toTimestamp) {
                    long days = MemoryUtil.getInt(a + 4L * i);
                    if ((days > MAX_TIMESTAMP_DAY || days < -MAX_TIMESTAMP_DAY) && (allValid || Bitmaps.get(validity, i))) {
                        throw EvaluationErrors.outOfRange(type());
                    }
                    MemoryUtil.putLong(o + 8L * i, days * CivilTime.MICROS_PER_DAY);
                } else {
                    MemoryUtil.putInt(o + 4L * i, (int) CivilTime.days(MemoryUtil.getLong(a + 8L * i)));
                }
            }
        }
    }

    /** Anything to text (VARCHAR / VARCHAR(n)). */
    private static final class ToText extends ComputedEvaluator {
        private static final HexFormat HEX = HexFormat.of();
        private final DataType from;
        private final VectorEvaluator input;
        private final VarWidthWriter writer;
        private final byte[] buf = new byte[PgText.MAX_LENGTH];
        private final Int128 x = new Int128();

        ToText(DataType from, DataType to, BufferAllocator allocator, VectorEvaluator input) {
            super(to, allocator, input);
            this.from = from;
            this.input = input;
            this.writer = new VarWidthWriter(out);
        }

        @Override
        public FieldVector evaluate(VectorSchemaRoot batch, int[] rows, int count) {
            FieldVector in = input.evaluate(batch, rows, count);
            long iv = in.getValidityBufferAddress();
            long a = in.getDataBufferAddress();
            int max = type().length();
            writer.start(count);
            for (int i = 0; i < count; i++) {
                if (!Bitmaps.get(iv, i)) {
                    writer.setNull(i);
                    continue;
                }
                int len;
                switch (from.kind()) {
                    case BOOLEAN -> len = ascii(Bitmaps.get(a, i) ? "true" : "false");
                    case SMALLINT -> len = PgText.formatLong(MemoryUtil.getShort(a + 2L * i), buf);
                    case INTEGER -> len = PgText.formatLong(MemoryUtil.getInt(a + 4L * i), buf);
                    case BIGINT -> len = PgText.formatLong(MemoryUtil.getLong(a + 8L * i), buf);
                    case REAL -> len = ascii(PgText.formatFloat(Float.intBitsToFloat(MemoryUtil.getInt(a + 4L * i)), true));
                    case DOUBLE -> len = ascii(PgText.formatFloat(Double.longBitsToDouble(MemoryUtil.getLong(a + 8L * i)), false));
                    case DECIMAL -> {
                        x.load(a + 16L * i);
                        len = PgText.formatDecimal(x, from.scale(), buf);
                    }
                    case DATE -> len = PgText.formatDate(MemoryUtil.getInt(a + 4L * i), buf);
                    case TIMESTAMP -> len = PgText.formatTimestamp(MemoryUtil.getLong(a + 8L * i), buf);
                    case VARCHAR -> {
                        long offsets = in.getOffsetBufferAddress();
                        int start = MemoryUtil.getInt(offsets + 4L * i);
                        int end = MemoryUtil.getInt(offsets + 4L * i + 4);
                        long src = a + start;
                        int bytes = end - start;
                        if (max != DataType.UNBOUNDED) {
                            bytes = Utf8Bytes.offsetOfCodePoint(src, bytes, max);
                        }
                        writer.write(i, src, bytes);
                        continue;
                    }
                    case BYTEA -> {
                        long offsets = in.getOffsetBufferAddress();
                        int start = MemoryUtil.getInt(offsets + 4L * i);
                        int end = MemoryUtil.getInt(offsets + 4L * i + 4);
                        byte[] value = new byte[end - start];
                        MemoryUtil.copyFromMemory(a + start, value, 0, value.length);
                        byte[] text = ("\\x" + HEX.formatHex(value)).getBytes(StandardCharsets.US_ASCII);
                        writer.write(i, text, 0, max == DataType.UNBOUNDED ? text.length : Math.min(max, text.length));
                        continue;
                    }
                    default -> throw new IllegalStateException();
                }
                // every formatted value is ASCII: characters are bytes
                writer.write(i, buf, 0, max == DataType.UNBOUNDED ? len : Math.min(max, len));
            }
            return writer.finish(count);
        }

        private int ascii(String s) {
            for (int k = 0; k < s.length(); k++) {
                buf[k] = (byte) s.charAt(k);
            }
            return s.length();
        }
    }

    /** Text to any other type: PostgreSQL's input rules. */
    private static final class FromText extends ComputedEvaluator {
        private final VectorEvaluator input;
        private final VarWidthWriter writer;
        private byte[] buf = new byte[64];
        private final Int128 x = new Int128();

        FromText(DataType to, BufferAllocator allocator, VectorEvaluator input) {
            super(to, allocator, input);
            this.input = input;
            this.writer = width(to) == VARIABLE ? new VarWidthWriter(out) : null;
        }

        @Override
        public FieldVector evaluate(VectorSchemaRoot batch, int[] rows, int count) {
            FieldVector in = input.evaluate(batch, rows, count);
            long iv = in.getValidityBufferAddress();
            long offsets = in.getOffsetBufferAddress();
            long data = in.getDataBufferAddress();
            long ov = 0;
            long o = 0;
            if (writer != null) {
                writer.start(count);
            } else {
                prepare(count);
                ov = out.getValidityBufferAddress();
                o = out.getDataBufferAddress();
                Bitmaps.copy(iv, ov, count);
            }
            DataType t = type();
            for (int i = 0; i < count; i++) {
                if (!Bitmaps.get(iv, i)) {
                    if (writer != null) {
                        writer.setNull(i);
                    }
                    continue;
                }
                int start = MemoryUtil.getInt(offsets + 4L * i);
                int len = MemoryUtil.getInt(offsets + 4L * i + 4) - start;
                if (buf.length < len) {
                    buf = new byte[Math.max(len, buf.length * 2)];
                }
                MemoryUtil.copyFromMemory(data + start, buf, 0, len);
                long fast = switch (t.kind()) {
                    case SMALLINT, INTEGER, BIGINT -> PgText.parseLong(buf, len);
                    case DATE -> PgText.parseDate(buf, len);
                    case TIMESTAMP -> PgText.parseTimestamp(buf, len);
                    default -> PgText.NO_FAST_PATH;
                };
                if (fast != PgText.NO_FAST_PATH) {
                    switch (t.kind()) {
                        case SMALLINT, INTEGER -> {
                            if (t.kind() == Kind.SMALLINT ? fast != (short) fast : fast != (int) fast) {
                                throw DuetException.of(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                                        "value \"%s\" is out of range for type %s", text(len), EvaluationErrors.pgName(t));
                            }
                            if (t.kind() == Kind.SMALLINT) {
                                MemoryUtil.putShort(o + 2L * i, (short) fast);
                            } else {
                                MemoryUtil.putInt(o + 4L * i, (int) fast);
                            }
                        }
                        case BIGINT, TIMESTAMP -> MemoryUtil.putLong(o + 8L * i, fast);
                        case DATE -> MemoryUtil.putInt(o + 4L * i, (int) fast);
                        default -> throw new IllegalStateException();
                    }
                    continue;
                }
                String s = text(len);
                Object v;
                try {
                    v = TextValues.parse(t, s, null);
                } catch (DuetException e) {
                    if (e.state() == SqlState.INVALID_TEXT_REPRESENTATION) {
                        throw EvaluationErrors.invalidText(t, s);
                    }
                    throw e;
                }
                write(o, i, v);
            }
            return writer != null ? writer.finish(count) : finish(count);
        }

        private String text(int len) {
            return new String(buf, 0, len, StandardCharsets.UTF_8);
        }

        private void write(long o, int i, Object v) {
            switch (type().kind()) {
                case BOOLEAN -> Bitmaps.put(o, i, (Boolean) v);
                case SMALLINT -> MemoryUtil.putShort(o + 2L * i, (Short) v);
                case INTEGER -> MemoryUtil.putInt(o + 4L * i, (Integer) v);
                case BIGINT -> MemoryUtil.putLong(o + 8L * i, (Long) v);
                case REAL -> MemoryUtil.putInt(o + 4L * i, Float.floatToRawIntBits((Float) v));
                case DOUBLE -> MemoryUtil.putLong(o + 8L * i, Double.doubleToRawLongBits((Double) v));
                case DECIMAL -> {
                    x.set(((BigDecimal) v).unscaledValue());
                    x.store(o + 16L * i);
                }
                case DATE -> MemoryUtil.putInt(o + 4L * i, (int) ((LocalDate) v).toEpochDay());
                case TIMESTAMP -> MemoryUtil.putLong(o + 8L * i, Values.toEpochMicros((LocalDateTime) v));
                case BYTEA -> {
                    byte[] b = (byte[]) v;
                    writer.write(i, b, 0, b.length);
                }
                default -> throw new IllegalStateException();
            }
        }
    }
}
