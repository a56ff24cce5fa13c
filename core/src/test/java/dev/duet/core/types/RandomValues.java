package dev.duet.core.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Random;

/**
 * Canonical values for property tests: mostly random, often an edge value, and drawn from small
 * alphabets so that equal values and shared prefixes are common (where ordering bugs hide).
 */
final class RandomValues {
    /** Every kind, DECIMAL in both codec widths and VARCHAR bounded and not. */
    static final DataType[] ALL_TYPES = {
        DataType.BOOLEAN, DataType.SMALLINT, DataType.INTEGER, DataType.BIGINT, DataType.REAL, DataType.DOUBLE,
        DataType.decimal(9, 2), DataType.decimal(18, 0), DataType.decimal(18, 18), DataType.decimal(19, 4),
        DataType.decimal(38, 10), DataType.decimal(38, 0), DataType.varchar(20), DataType.TEXT, DataType.DATE,
        DataType.TIMESTAMP, DataType.BYTEA,
    };

    private static final String[] STRING_PIECES = {
        "a", "b", "ab", "\0", " ", "é", "中", "\uFFFF", "\uE000", "\uD7FF", "😀", "\uD800\uDC00", "\uDBFF\uDFFF", "z",
    };
    private static final String[] LONE_SURROGATES = {"\uD800", "\uDBFF", "\uDC00", "\uDFFF"};

    private final Random random;
    private final boolean loneSurrogates;

    /** @param loneSurrogates include unpaired surrogates in strings (the codecs take them; coerce does not) */
    RandomValues(long seed, boolean loneSurrogates) {
        this.random = new Random(seed);
        this.loneSurrogates = loneSurrogates;
    }

    Random random() {
        return random;
    }

    Object next(DataType type) {
        Random r = random;
        boolean edge = r.nextInt(8) == 0;
        return switch (type.kind()) {
            case BOOLEAN -> r.nextBoolean();
            case SMALLINT -> edge ? pick(Short.MIN_VALUE, Short.MAX_VALUE, (short) 0, (short) -1, (short) 1)
                    : r.nextBoolean() ? (short) (r.nextInt(21) - 10) : (short) r.nextInt();
            case INTEGER -> edge ? pick(Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, 1)
                    : r.nextBoolean() ? r.nextInt(21) - 10 : r.nextInt();
            case BIGINT -> edge ? pick(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 1L, Long.MIN_VALUE + 1)
                    : r.nextBoolean() ? (long) (r.nextInt(21) - 10) : r.nextLong();
            case REAL -> edge ? pick(-0.0f, 0.0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                    Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_NORMAL,
                    Float.intBitsToFloat(0xFFC00001)) // a negative NaN with a payload
                    : r.nextBoolean() ? (float) (r.nextInt(11) - 5) / 2 : Float.intBitsToFloat(r.nextInt());
            case DOUBLE -> edge ? pick(-0.0, 0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                    Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL,
                    Double.longBitsToDouble(0xFFF8000000000123L))
                    : r.nextBoolean() ? (double) (r.nextInt(11) - 5) / 4 : Double.longBitsToDouble(r.nextLong());
            case DECIMAL -> decimal(type, edge);
            case VARCHAR -> string(type);
            case DATE -> edge ? pick(LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31), LocalDate.of(1970, 1, 1),
                    LocalDate.of(1969, 12, 31), LocalDate.ofEpochDay(Integer.MIN_VALUE),
                    LocalDate.ofEpochDay(Integer.MAX_VALUE))
                    : LocalDate.ofEpochDay(r.nextInt(3_652_059) - 719_162); // years 1..9999
            case TIMESTAMP -> edge ? pick(Values.fromEpochMicros(Long.MIN_VALUE), Values.fromEpochMicros(Long.MAX_VALUE),
                    Values.fromEpochMicros(-1), Values.fromEpochMicros(0), Values.fromEpochMicros(1),
                    LocalDateTime.of(1, 1, 1, 0, 0), LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000))
                    : r.nextInt(4) == 0 ? Values.fromEpochMicros(r.nextLong())
                    : Values.fromEpochMicros(-62_135_596_800_000_000L
                            + Math.floorMod(r.nextLong(), 315_537_897_600_000_000L)); // years 1..9999
            case BYTEA -> {
                byte[] b = new byte[r.nextInt(6)];
                for (int i = 0; i < b.length; i++) {
                    b[i] = r.nextInt(3) == 0 ? (byte) r.nextInt() : pick((byte) 0, (byte) 1, (byte) 0x7F, (byte) 0x80,
                            (byte) 0xFF);
                }
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
            unscaled = pick(max, max.negate(), BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE.negate(),
                    BigInteger.ONE.shiftLeft(63).min(max), BigInteger.ONE.shiftLeft(63).negate().max(max.negate()),
                    BigInteger.ONE.shiftLeft(64).min(max), BigInteger.ONE.shiftLeft(64).negate().max(max.negate()));
        } else if (r.nextBoolean()) {
            unscaled = BigInteger.valueOf(r.nextInt(21) - 10);
        } else {
            int digits = 1 + r.nextInt(p);
            unscaled = new BigInteger(digits * 4, r).mod(BigInteger.TEN.pow(digits));
            if (r.nextBoolean()) {
                unscaled = unscaled.negate();
            }
        }
        return new BigDecimal(unscaled, type.scale());
    }

    private String string(DataType type) {
        Random r = random;
        int max = type.length() == DataType.UNBOUNDED ? 8 : Math.min(type.length(), 8);
        int pieces = r.nextInt(max + 1);
        StringBuilder sb = new StringBuilder();
        int codePoints = 0;
        for (int i = 0; i < pieces; i++) {
            String piece = loneSurrogates && r.nextInt(10) == 0
                    ? LONE_SURROGATES[r.nextInt(LONE_SURROGATES.length)]
                    : STRING_PIECES[r.nextInt(STRING_PIECES.length)];
            int n = piece.codePointCount(0, piece.length());
            if (codePoints + n > max) {
                break;
            }
            sb.append(piece);
            codePoints += n;
        }
        return sb.toString();
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }
}
