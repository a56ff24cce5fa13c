package dev.duet.planner.exec.join;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.types.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random values of every SQL type from small domains (so that keys repeat and match), and row generators. */
final class TestValues {
    private TestValues() {
    }

    /** One type of each kind, with a DECIMAL that fits 64 bits and one that does not. */
    static List<DataType> allTypes() {
        return List.of(DataType.BOOLEAN, DataType.SMALLINT, DataType.INTEGER, DataType.BIGINT, DataType.REAL,
                DataType.DOUBLE, DataType.decimal(12, 2), DataType.decimal(38, 6), DataType.varchar(40), DataType.TEXT,
                DataType.DATE, DataType.TIMESTAMP, DataType.BYTEA);
    }

    /** Value number {@code x} of a domain of distinct values of {@code type}. */
    static Object value(DataType type, int x) {
        return switch (type.kind()) {
            case BOOLEAN -> x % 2 == 0;
            case SMALLINT -> (short) (x - 20);
            case INTEGER -> x * 7919 - 1000;
            case BIGINT -> (x - 20) * 1_000_000_007L;
            case REAL -> (x - 20) / 4f;
            case DOUBLE -> (x - 20) / 8.0;
            case DECIMAL -> type.precision() <= 18
                    ? BigDecimal.valueOf(x * 101L - 500, type.scale())
                    : new BigDecimal(BigInteger.TEN.pow(25).multiply(BigInteger.valueOf(x - 20)).add(BigInteger.valueOf(x)), type.scale());
            case VARCHAR -> x == 0 ? "" : "k" + x + (x % 2 == 0 ? "-long-enough-to-span-words" : "") + (x % 5 == 0 ? "é" : "");
            case DATE -> LocalDate.of(2024, 1, 1).plusDays(x * 3L);
            case TIMESTAMP -> LocalDateTime.of(2024, 1, 1, 0, 0).plusSeconds(x * 3601L).plusNanos(x * 1000L);
            case BYTEA -> {
                byte[] b = new byte[x % 13];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) (x * 31 + i);
                }
                yield b;
            }
        };
    }

    /** A random value of a domain of {@code domain} values, NULL about one time in {@code nullEvery} (never if 0). */
    static Object random(DataType type, Random rnd, int domain, int nullEvery) {
        if (nullEvery > 0 && rnd.nextInt(nullEvery) == 0) {
            return null;
        }
        return value(type, rnd.nextInt(domain));
    }

    /** {@code count} random rows of {@code columns}. */
    static List<Object[]> rows(List<BatchColumn> columns, Random rnd, int count, int domain, int nullEvery) {
        List<Object[]> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Object[] row = new Object[columns.size()];
            for (int c = 0; c < row.length; c++) {
                row[c] = random(columns.get(c).type(), rnd, domain, columns.get(c).nullable() ? nullEvery : 0);
            }
            rows.add(row);
        }
        return rows;
    }

    static BatchColumn column(String name, DataType type) {
        return new BatchColumn(name, type, true);
    }
}
