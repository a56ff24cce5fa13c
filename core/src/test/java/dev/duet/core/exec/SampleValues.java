package dev.duet.core.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duet.core.types.DataType;
import dev.duet.core.types.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Random;

/** Canonical values of every type for the exec tests: edge values often, NULL sometimes. */
final class SampleValues {
    /** Every kind, DECIMAL in both row-codec widths, VARCHAR bounded and not. */
    static final DataType[] ALL_TYPES = {
        DataType.BOOLEAN, DataType.SMALLINT, DataType.INTEGER, DataType.BIGINT, DataType.REAL, DataType.DOUBLE,
        DataType.decimal(9, 2), DataType.decimal(18, 0), DataType.decimal(18, 18), DataType.decimal(19, 4),
        DataType.decimal(38, 10), DataType.decimal(38, 0), DataType.varchar(20), DataType.TEXT, DataType.DATE,
        DataType.TIMESTAMP, DataType.BYTEA,
    };

    private static final String[] STRINGS = {"", "a", "hello", "é", "中文", "😀x", "\0", " trailing ", "ab\u00ffc"};

    private final Random random;

    SampleValues(long seed) {
        this.random = new Random(seed);
    }

    /** A value of {@code type}, or null one time in {@code nullOneIn} (never if 0). */
    Object next(DataType type, int nullOneIn) {
        if (nullOneIn > 0 && random.nextInt(nullOneIn) == 0) {
            return null;
        }
        Random r = random;
        boolean edge = r.nextInt(5) == 0;
        return switch (type.kind()) {
            case BOOLEAN -> r.nextBoolean();
            case SMALLINT -> edge ? pick(Short.MIN_VALUE, Short.MAX_VALUE, (short) 0) : (short) r.nextInt();
            case INTEGER -> edge ? pick(Integer.MIN_VALUE, Integer.MAX_VALUE, 0) : r.nextInt();
            case BIGINT -> edge ? pick(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L) : r.nextLong();
            case REAL -> edge ? pick(-0.0f, Float.NaN, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE)
                    : r.nextFloat() * 1000 - 500;
            case DOUBLE -> edge ? pick(-0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE, -Double.MAX_VALUE)
                    : r.nextGaussian() * 1e6;
            case DECIMAL -> decimal(type, edge);
            case VARCHAR -> {
                String s = STRINGS[r.nextInt(STRINGS.length)];
                if (type.length() == DataType.UNBOUNDED && edge) {
                    s = "x".repeat(r.nextInt(300)) + s; // lengths that need a two-byte varint
                }
                yield Values.coerce(type, s, "v");
            }
            case DATE -> edge ? pick(LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31), LocalDate.ofEpochDay(-1),
                    LocalDate.ofEpochDay(Integer.MIN_VALUE), LocalDate.ofEpochDay(Integer.MAX_VALUE))
                    : LocalDate.ofEpochDay(r.nextInt(40_000) - 10_000);
            case TIMESTAMP -> edge ? pick(Values.fromEpochMicros(Long.MIN_VALUE), Values.fromEpochMicros(Long.MAX_VALUE),
                    Values.fromEpochMicros(-1), LocalDateTime.of(1, 1, 1, 0, 0))
                    : Values.fromEpochMicros(r.nextLong() >> 12);
            case BYTEA -> {
                byte[] b = new byte[edge ? r.nextInt(200) : r.nextInt(6)];
                r.nextBytes(b);
                yield b;
            }
        };
    }

    private BigDecimal decimal(DataType type, boolean edge) {
        Random r = random;
        int p = type.precision();
        BigInteger max = BigInteger.TEN.pow(p).subtract(BigInteger.ONE);
        BigInteger unscaled;
        if (edge) {
            unscaled = pick(max, max.negate(), BigInteger.ZERO, BigInteger.ONE.negate(),
                    BigInteger.ONE.shiftLeft(63).min(max), BigInteger.ONE.shiftLeft(63).negate().max(max.negate()),
                    BigInteger.ONE.shiftLeft(64).min(max), BigInteger.ONE.shiftLeft(64).negate().max(max.negate()));
        } else {
            int digits = 1 + r.nextInt(p);
            unscaled = new BigInteger(digits * 4, r).mod(BigInteger.TEN.pow(digits));
            if (r.nextBoolean()) {
                unscaled = unscaled.negate();
            }
        }
        return new BigDecimal(unscaled, type.scale());
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    /** Asserts two canonical values are the same: same class, same value, same scale, same float bits. */
    static void assertSameValue(Object expected, Object actual, String where) {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, where);
            return;
        }
        assertEquals(expected.getClass(), actual.getClass(), where);
        if (expected instanceof byte[] b) {
            assertArrayEquals(b, (byte[]) actual, where);
        } else if (expected instanceof Float f) {
            assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits((Float) actual), where);
        } else if (expected instanceof Double d) {
            assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) actual), where);
        } else {
            assertEquals(expected, actual, where); // BigDecimal: scale too
        }
    }
}
