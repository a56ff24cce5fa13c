package dev.duet.planner.exec.ops;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.types.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic random rows for differential tests. Each column draws from a pool of
 * {@code cardinality} values of its type (so a column doubles as a grouping key with that many
 * groups) and is NULL with probability {@code nullFraction}. Doubles are multiples of 1/64, so
 * their sums are exact in any order; strings mix lengths, shared prefixes and multi-byte UTF-8.
 */
final class RandomRows {
    /** One generated column: its name, type, number of distinct values and NULL probability. */
    record Spec(String name, DataType type, int cardinality, double nullFraction) {
        BatchColumn column() {
            return new BatchColumn(name, type, nullFraction > 0);
        }
    }

    private RandomRows() {
    }

    static List<BatchColumn> columns(List<Spec> specs) {
        List<BatchColumn> out = new ArrayList<>();
        for (Spec s : specs) {
            out.add(s.column());
        }
        return out;
    }

    static List<Object[]> rows(List<Spec> specs, int count, long seed) {
        Random rnd = new Random(seed);
        List<Object[]> rows = new ArrayList<>(count);
        for (int r = 0; r < count; r++) {
            Object[] row = new Object[specs.size()];
            for (int c = 0; c < row.length; c++) {
                Spec s = specs.get(c);
                row[c] = rnd.nextDouble() < s.nullFraction ? null : value(s.type, rnd.nextInt(s.cardinality), s.cardinality);
            }
            rows.add(row);
        }
        return rows;
    }

    private static final String[] WORDS = {"", "a", "ab", "abc", "Zebra", "zebra", "é", "€uro", "naïve", "日本", "🙂x",
        "same-prefix-0000", "same-prefix-0001", "same-prefix-00010", "longer string with spaces"};

    /** The {@code i}-th value of a pool of {@code cardinality} values of {@code type}. */
    static Object value(DataType type, int i, int cardinality) {
        long spread = mix(i);
        return switch (type.kind()) {
            case BOOLEAN -> i % 2 == 0;
            case SMALLINT -> (short) (cardinality <= 60000 ? i - cardinality / 2 : (spread % 65536) - 32768);
            case INTEGER -> cardinality <= 1 << 20 ? (int) ((i - cardinality / 2) * 2_003L) : (int) spread;
            case BIGINT -> (i - cardinality / 2) * 0x1_0000_0001L + (spread & 0xFFFF);
            case REAL -> (float) ((i - cardinality / 2) / 8.0);
            case DOUBLE -> (i - cardinality / 2) / 64.0;
            case DECIMAL -> {
                BigInteger unscaled = BigInteger.valueOf(i - cardinality / 2).multiply(BigInteger.valueOf(1_000_003));
                if (type.precision() > 20) {
                    unscaled = unscaled.multiply(BigInteger.TEN.pow(type.precision() - 12)).add(BigInteger.valueOf(spread & 0xFFFF));
                }
                BigInteger limit = BigInteger.TEN.pow(type.precision());
                yield new BigDecimal(unscaled.mod(limit).subtract(limit.shiftRight(1)), type.scale());
            }
            case VARCHAR -> WORDS[i % WORDS.length] + (i < WORDS.length ? "" : Integer.toString(i / WORDS.length, 36));
            case DATE -> LocalDate.ofEpochDay(i * 3L - 4000);
            case TIMESTAMP -> LocalDateTime.of(2020, 1, 1, 0, 0).plusSeconds(i * 3_607L).plusNanos((i % 1000) * 1000L);
            case BYTEA -> {
                int len = i % 11;
                byte[] b = new byte[len + 1];
                for (int k = 0; k < b.length; k++) {
                    b[k] = (byte) (spread >>> (k * 5));
                }
                b[0] = (byte) i;
                yield b;
            }
        };
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        return (x ^ (x >>> 31)) & Long.MAX_VALUE;
    }
}
