package dev.duet.planner.exec.ops;

import static dev.duet.planner.exec.ops.OperatorAssertions.assertSameOrder;
import static dev.duet.planner.exec.ops.OperatorAssertions.assertSameRows;
import static dev.duet.planner.exec.ops.OperatorAssertions.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.SqlState;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashAggregateOperatorTest extends OperatorTestBase {
    private static final DataType DEC = DataType.decimal(10, 2);

    private List<Object[]> aggregate(List<BatchColumn> columns, List<Object[]> rows, List<Integer> keys,
            List<AggregateCall> calls, int... batchSizes) {
        try (HashAggregateOperator op = new HashAggregateOperator(context,
                new ListOperator(context, columns, rows, batchSizes), new AggregateSpec(keys, calls))) {
            return drain(op);
        }
    }

    @Test
    void groupsByIntegerWithNullKeyAcrossBatches() {
        List<BatchColumn> columns = cols(col("k", DataType.INTEGER), col("x", DataType.INTEGER), col("d", DEC));
        List<Object[]> input = rows(
                row(1, 10, new BigDecimal("1.50")),
                row(2, null, new BigDecimal("2.00")),
                row(null, 5, null),
                row(1, 20, new BigDecimal("-0.50")),
                row(2, 7, null),
                row(null, null, new BigDecimal("3.25")),
                row(3, null, null));
        List<Object[]> out = aggregate(columns, input, List.of(0), List.of(
                AggregateCall.countStar("n"),
                AggregateCall.of(AggregateKind.COUNT, 1, "cx", DataType.BIGINT),
                AggregateCall.of(AggregateKind.SUM, 1, "sx", DataType.BIGINT),
                AggregateCall.of(AggregateKind.AVG, 1, "ax", DataType.DOUBLE),
                AggregateCall.of(AggregateKind.MIN, 1, "mn", DataType.INTEGER),
                AggregateCall.of(AggregateKind.MAX, 1, "mx", DataType.INTEGER),
                AggregateCall.of(AggregateKind.SUM, 2, "sd", DataType.decimal(38, 2))), 2, 3, 1);
        // first-seen order: 1, 2, NULL, 3
        assertSameOrder(rows(
                row(1, 2L, 2L, 30L, 15.0, 10, 20, new BigDecimal("1.00")),
                row(2, 2L, 1L, 7L, 7.0, 7, 7, new BigDecimal("2.00")),
                row(null, 2L, 1L, 5L, 5.0, 5, 5, new BigDecimal("3.25")),
                row(3, 1L, 0L, null, null, null, null, null)), out);
    }

    @Test
    void everyKeyTypeGroupsEqualValuesAndNullsTogether() {
        for (DataType type : List.of(DataType.BOOLEAN, DataType.SMALLINT, DataType.INTEGER, DataType.BIGINT,
                DataType.REAL, DataType.DOUBLE, DEC, DataType.decimal(38, 5), DataType.TEXT, DataType.DATE,
                DataType.TIMESTAMP, DataType.BYTEA)) {
            List<Object[]> input = new ArrayList<>();
            int distinct = type.kind() == DataType.Kind.BOOLEAN ? 2 : 40;
            for (int i = 0; i < 500; i++) {
                Object v = i % 7 == 0 ? null : RandomRows.value(type, (i * 13) % distinct, distinct);
                input.add(row(v, i));
            }
            List<Object[]> out = aggregate(cols(col("k", type), col("i", DataType.INTEGER)), input, List.of(0),
                    List.of(AggregateCall.countStar("n"), AggregateCall.of(AggregateKind.SUM, 1, "s", DataType.BIGINT)), 33, 64);
            List<Object[]> expected = new ArrayList<>();
            java.util.Map<Object, long[]> byKey = new java.util.LinkedHashMap<>();
            for (Object[] r : input) {
                Object key = OperatorAssertions.canonical(r[0]);
                long[] acc = byKey.computeIfAbsent(key, k -> new long[2]);
                acc[0]++;
                acc[1] += (Integer) r[1];
            }
            byKey.forEach((k, acc) -> expected.add(row(k, acc[0], acc[1])));
            assertEquals(distinct + 1, out.size(), type.toString());
            assertSameOrder(expected, out);
        }
    }

    @Test
    void multipleKeysOfMixedTypes() {
        List<BatchColumn> columns = cols(col("s", DataType.TEXT), col("d", DataType.DATE), col("b", DataType.BIGINT),
                col("x", DataType.DOUBLE));
        LocalDate d1 = LocalDate.of(2024, 1, 1);
        LocalDate d2 = LocalDate.of(2024, 1, 2);
        List<Object[]> input = rows(
                row("a", d1, 1L, 1.0), row("a", d1, 1L, 2.0), row("a", d2, 1L, 3.0), row("b", d1, 1L, 4.0),
                row(null, d1, 1L, 5.0), row(null, d1, null, 6.0), row("a", d1, null, 7.0), row("", d1, 1L, 8.0),
                row(null, null, null, 9.0), row(null, null, null, 10.0), row("a", d1, 1L, null));
        List<Object[]> out = aggregate(columns, input, List.of(0, 1, 2), List.of(
                AggregateCall.of(AggregateKind.SUM, 3, "s", DataType.DOUBLE), AggregateCall.countStar("n")), 4);
        assertSameRows(rows(
                row("a", d1, 1L, 3.0, 3L), row("a", d2, 1L, 3.0, 1L), row("b", d1, 1L, 4.0, 1L),
                row(null, d1, 1L, 5.0, 1L), row(null, d1, null, 6.0, 1L), row("a", d1, null, 7.0, 1L),
                row("", d1, 1L, 8.0, 1L), row(null, null, null, 19.0, 2L)), out);
    }

    @Test
    void stringKeysAroundTheInlineLengthsAndWithZeroBytes() {
        List<String> words = List.of("", "a", "a\u0000", "\u0000", "abcdefgh", "abcdefgh\u0000", "abcdefg", "abcdefghijklmnop",
                "abcdefghijklmnop\u0000", "abcdefghijklmno", "abcdefghijklmnopq", "abcdefghijklmnopr", "abcdefghijklmnopqrstuvwxyz-1",
                "abcdefghijklmnopqrstuvwxyz-2", "é", "e\u0301");
        List<Object[]> input = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            input.add(row(i % 9 == 4 ? null : words.get((i * 7) % words.size()), i % 9 == 4 ? null : words.get((i * 7) % words.size()).getBytes(java.nio.charset.StandardCharsets.UTF_8), 1L));
        }
        List<BatchColumn> columns = cols(col("s", DataType.TEXT), col("b", DataType.BYTEA), col("one", DataType.BIGINT));
        for (int key : new int[] {0, 1}) {
            List<Object[]> out = aggregate(columns, input, List.of(key), List.of(AggregateCall.countStar("n"),
                    AggregateCall.distinct(AggregateKind.COUNT, 1 - key, "d", DataType.BIGINT)), 13, 50);
            java.util.Map<Object, Long> expected = new java.util.LinkedHashMap<>();
            for (Object[] r : input) {
                expected.merge(OperatorAssertions.canonical(r[key]), 1L, Long::sum);
            }
            List<Object[]> rows = new ArrayList<>();
            expected.forEach((k, n) -> rows.add(row(k, n, k == null ? 0L : 1L)));
            assertEquals(words.size() + 1, out.size());
            assertSameOrder(rows, out);
        }
    }

    @Test
    void floatKeysTreatNegativeZeroAsZeroAndNaNAsOneValue() {
        List<Object[]> out = aggregate(cols(col("f", DataType.DOUBLE), col("r", DataType.REAL)),
                rows(row(0.0, 0.0f), row(-0.0, -0.0f), row(Double.NaN, Float.NaN), row(Double.longBitsToDouble(0x7ff8000000000001L), Float.NaN)),
                List.of(0, 1), List.of(AggregateCall.countStar("n")));
        assertSameRows(rows(row(0.0, 0.0f, 2L), row(Double.NaN, Float.NaN, 2L)), out);
    }

    @Test
    void statisticsAndBooleans() {
        List<BatchColumn> columns = cols(col("k", DataType.SMALLINT), col("x", DataType.DOUBLE), col("b", DataType.BOOLEAN));
        List<Object[]> input = rows(
                row((short) 1, 2.0, true), row((short) 1, 4.0, false), row((short) 1, 4.0, null), row((short) 1, 4.0, true),
                row((short) 1, 5.0, true), row((short) 1, 5.0, null), row((short) 1, 7.0, true), row((short) 1, 9.0, true),
                row((short) 2, 1.5, true), row((short) 2, null, null), row((short) 3, null, false));
        List<Object[]> out = aggregate(columns, input, List.of(0), List.of(
                AggregateCall.of(AggregateKind.VAR_POP, 1, "vp", DataType.DOUBLE),
                AggregateCall.of(AggregateKind.VAR_SAMP, 1, "vs", DataType.DOUBLE),
                AggregateCall.of(AggregateKind.STDDEV_POP, 1, "sp", DataType.DOUBLE),
                AggregateCall.of(AggregateKind.STDDEV_SAMP, 1, "ss", DataType.DOUBLE),
                AggregateCall.of(AggregateKind.BOOL_AND, 2, "ba", DataType.BOOLEAN),
                AggregateCall.of(AggregateKind.BOOL_OR, 2, "bo", DataType.BOOLEAN)), 3);
        // 2,4,4,4,5,5,7,9: mean 5, sum of squares 32
        assertSameOrder(rows(
                row((short) 1, 4.0, 32.0 / 7, 2.0, Math.sqrt(32.0 / 7), false, true),
                row((short) 2, 0.0, null, 0.0, null, true, true),
                row((short) 3, null, null, null, null, false, false)), out);
    }

    @Test
    void distinctAggregatesCountEachValueOncePerGroup() {
        List<BatchColumn> columns = cols(col("k", DataType.INTEGER), col("x", DataType.INTEGER), col("s", DataType.TEXT));
        List<Object[]> input = rows(
                row(1, 5, "a"), row(1, 5, "a"), row(1, 6, "b"), row(1, null, null), row(2, 5, "a"),
                row(2, 5, "b"), row(1, 6, "a"), row(2, null, "b"), row(3, null, null));
        List<Object[]> out = aggregate(columns, input, List.of(0), List.of(
                AggregateCall.distinct(AggregateKind.COUNT, 1, "cdx", DataType.BIGINT),
                AggregateCall.distinct(AggregateKind.SUM, 1, "sdx", DataType.BIGINT),
                AggregateCall.of(AggregateKind.SUM, 1, "sx", DataType.BIGINT),
                AggregateCall.distinct(AggregateKind.AVG, 1, "adx", DataType.DOUBLE),
                AggregateCall.distinct(AggregateKind.COUNT, 2, "cds", DataType.BIGINT),
                AggregateCall.distinct(AggregateKind.MAX, 2, "mds", DataType.TEXT)), 2);
        assertSameOrder(rows(
                row(1, 2L, 11L, 22L, 5.5, 2L, "b"),
                row(2, 1L, 5L, 10L, 5.0, 2L, "b"),
                row(3, 0L, null, null, null, 0L, null)), out);
    }

    @Test
    void filterColumnRestrictsRowsPerAggregate() {
        List<BatchColumn> columns = cols(col("k", DataType.INTEGER), col("x", DataType.BIGINT), col("f", DataType.BOOLEAN));
        List<Object[]> input = rows(row(1, 1L, true), row(1, 2L, false), row(1, 4L, null), row(2, 8L, true), row(2, 8L, true));
        List<Object[]> out = aggregate(columns, input, List.of(0), List.of(
                AggregateCall.countStar("n").withFilter(2),
                AggregateCall.of(AggregateKind.SUM, 1, "s", DataType.decimal(38, 0)).withFilter(2),
                AggregateCall.distinct(AggregateKind.COUNT, 1, "c", DataType.BIGINT).withFilter(2),
                AggregateCall.of(AggregateKind.SUM, 1, "all", DataType.decimal(38, 0))));
        assertSameOrder(rows(row(1, 1L, BigDecimal.ONE, 1L, BigDecimal.valueOf(7)),
                row(2, 2L, BigDecimal.valueOf(16), 1L, BigDecimal.valueOf(16))), out);
    }

    @Test
    void minAndMaxKeepTheirTypes() {
        List<BatchColumn> columns = cols(col("s", DataType.TEXT), col("b", DataType.BYTEA), col("d", DataType.decimal(38, 3)),
                col("t", DataType.TIMESTAMP), col("r", DataType.REAL), col("z", DataType.BOOLEAN));
        LocalDateTime t0 = LocalDateTime.of(2020, 5, 6, 7, 8, 9, 123_000);
        List<Object[]> input = rows(
                row("b", new byte[] {1, 2}, new BigDecimal("-12345678901234567890123.456"), t0, 1.5f, true),
                row("ab", new byte[] {(byte) 0xff}, new BigDecimal("5.000"), t0.plusDays(1), Float.NaN, false),
                row("é", new byte[] {1}, new BigDecimal("99999999999999999999999999999999999.999"), t0.minusYears(30), -2.5f, null),
                row(null, null, null, null, null, null));
        List<Object[]> out = aggregate(columns, input, List.of(), List.of(
                AggregateCall.of(AggregateKind.MIN, 0, "a", DataType.TEXT), AggregateCall.of(AggregateKind.MAX, 0, "b", DataType.TEXT),
                AggregateCall.of(AggregateKind.MIN, 1, "c", DataType.BYTEA), AggregateCall.of(AggregateKind.MAX, 1, "d", DataType.BYTEA),
                AggregateCall.of(AggregateKind.MIN, 2, "e", DataType.decimal(38, 3)),
                AggregateCall.of(AggregateKind.MAX, 2, "f", DataType.decimal(38, 3)),
                AggregateCall.of(AggregateKind.MIN, 3, "g", DataType.TIMESTAMP), AggregateCall.of(AggregateKind.MAX, 3, "h", DataType.TIMESTAMP),
                AggregateCall.of(AggregateKind.MIN, 4, "i", DataType.REAL), AggregateCall.of(AggregateKind.MAX, 4, "j", DataType.REAL),
                AggregateCall.of(AggregateKind.MIN, 5, "k", DataType.BOOLEAN), AggregateCall.of(AggregateKind.MAX, 5, "l", DataType.BOOLEAN)), 1);
        assertSameOrder(rows(row("ab", "é", new byte[] {1}, new byte[] {(byte) 0xff},
                new BigDecimal("-12345678901234567890123.456"), new BigDecimal("99999999999999999999999999999999999.999"),
                t0.minusYears(30), t0.plusDays(1), -2.5f, Float.NaN, false, true)), out);
    }

    @Test
    void withoutGroupKeysEmptyInputGivesOneRow() {
        List<BatchColumn> columns = cols(col("x", DataType.INTEGER), col("s", DataType.TEXT));
        List<Object[]> out = aggregate(columns, rows(), List.of(), List.of(
                AggregateCall.countStar("n"), AggregateCall.of(AggregateKind.COUNT, 0, "c", DataType.BIGINT),
                AggregateCall.distinct(AggregateKind.COUNT, 1, "cd", DataType.BIGINT),
                AggregateCall.of(AggregateKind.SUM, 0, "s", DataType.BIGINT), AggregateCall.of(AggregateKind.AVG, 0, "a", DataType.DOUBLE),
                AggregateCall.of(AggregateKind.MIN, 1, "m", DataType.TEXT), AggregateCall.of(AggregateKind.STDDEV_POP, 0, "sd", DataType.DOUBLE),
                AggregateCall.of(AggregateKind.SINGLE_VALUE, 0, "sv", DataType.INTEGER)));
        assertSameOrder(rows(row(0L, 0L, 0L, null, null, null, null, null)), out);
    }

    @Test
    void withGroupKeysEmptyInputGivesNoRows() {
        List<Object[]> out = aggregate(cols(col("x", DataType.INTEGER)), rows(), List.of(0), List.of(AggregateCall.countStar("n")));
        assertEquals(0, out.size());
    }

    @Test
    void outputComesInBatchesOfTheContextBatchSize() {
        context.setBatchSize(7);
        List<Object[]> input = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            input.add(row(i % 100, (long) i));
        }
        List<BatchColumn> columns = cols(col("k", DataType.INTEGER), col("x", DataType.BIGINT));
        try (HashAggregateOperator op = new HashAggregateOperator(context, new ListOperator(context, columns, input),
                new AggregateSpec(List.of(0), List.of(AggregateCall.countStar("n"))))) {
            int batches = 0;
            int total = 0;
            for (var b = op.next(); b != null; b = op.next()) {
                assertTrue(b.getRowCount() <= 7);
                batches++;
                total += b.getRowCount();
            }
            assertEquals(100, total);
            assertEquals(15, batches);
        }
    }

    @Test
    void sumOverflowIs22003() {
        List<BatchColumn> columns = cols(col("x", DataType.BIGINT), col("d", DataType.decimal(38, 0)), col("i", DataType.INTEGER));
        List<Object[]> input = rows(row(Long.MAX_VALUE, new BigDecimal("90000000000000000000000000000000000000"), Integer.MAX_VALUE),
                row(1L, new BigDecimal("90000000000000000000000000000000000000"), Integer.MAX_VALUE));
        assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, () -> aggregate(columns, input, List.of(),
                List.of(AggregateCall.of(AggregateKind.SUM, 0, "s", DataType.BIGINT))));
        assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, () -> aggregate(columns, input, List.of(),
                List.of(AggregateCall.of(AggregateKind.SUM, 1, "s", DataType.decimal(38, 0)))));
        assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, () -> aggregate(columns, input, List.of(),
                List.of(AggregateCall.of(AggregateKind.SUM, 2, "s", DataType.INTEGER))));
        // the planner's types do not overflow here
        List<Object[]> ok = aggregate(columns, input, List.of(), List.of(
                AggregateCall.of(AggregateKind.SUM, 0, "s", DataType.decimal(38, 0)),
                AggregateCall.of(AggregateKind.SUM, 2, "t", DataType.BIGINT)));
        assertSameOrder(rows(row(new BigDecimal("9223372036854775808"), 2L * Integer.MAX_VALUE)), ok);
    }

    @Test
    void int128SumsCarryAcrossTheLowWord() {
        List<Object[]> input = new ArrayList<>();
        BigDecimal expected = BigDecimal.ZERO;
        for (int i = 0; i < 300; i++) {
            long v = (i % 3 == 0 ? -1 : 1) * (Long.MAX_VALUE - i);
            input.add(row(v));
            expected = expected.add(BigDecimal.valueOf(v));
        }
        List<Object[]> out = aggregate(cols(col("x", DataType.BIGINT)), input, List.of(), List.of(
                AggregateCall.of(AggregateKind.SUM, 0, "s", DataType.decimal(38, 0)),
                AggregateCall.of(AggregateKind.AVG, 0, "a", DataType.DOUBLE)), 17);
        assertSameOrder(rows(row(expected, expected.doubleValue() / 300)), out);
    }

    @Test
    void singleValueGivesTheOnlyRowNullOrFails21000() {
        List<BatchColumn> columns = cols(col("k", DataType.INTEGER), col("x", DataType.TEXT));
        AggregateCall sv = AggregateCall.of(AggregateKind.SINGLE_VALUE, 1, "v", DataType.TEXT);
        assertSameOrder(rows(row("only")), aggregate(columns, rows(row(1, "only")), List.of(), List.of(sv)));
        assertSameOrder(rows(row((Object) null)), aggregate(columns, rows(), List.of(), List.of(sv)));
        assertSameOrder(rows(row(1, null), row(2, "b")), aggregate(columns, rows(row(1, null), row(2, "b")), List.of(0), List.of(sv)));
        assertFails(SqlState.CARDINALITY_VIOLATION, () -> aggregate(columns, rows(row(1, null), row(1, null)), List.of(), List.of(sv)));
        assertFails(SqlState.CARDINALITY_VIOLATION, () -> aggregate(columns, rows(row(1, "a"), row(2, "b"), row(2, "b")), List.of(0), List.of(sv)));
    }

    @Test
    void memoryLimitIs53200AndNothingLeaks() {
        List<Object[]> input = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            input.add(row((long) i, "value-" + i));
        }
        List<BatchColumn> columns = cols(col("k", DataType.BIGINT), col("s", DataType.TEXT));
        // a tiny query whose input batches fit but whose groups do not
        try (QueryContext small = new QueryContext(root, "small", 4L << 20)) {
            small.setBatchSize(1024);
            HashAggregateOperator op = new HashAggregateOperator(small, new ListOperator(small, columns, input),
                    new AggregateSpec(List.of(0, 1), List.of(AggregateCall.countStar("n"))));
            var e = assertFails(SqlState.OUT_OF_MEMORY, op::next);
            assertTrue(e.getMessage().contains("hash aggregate"), e.getMessage());
            op.close();
            assertEquals(0, small.allocatedBytes());
        }
    }

    @Test
    void rejectsUnsupportedAggregateTypes() {
        ListOperator in = new ListOperator(context, cols(col("s", DataType.TEXT)), rows());
        assertThrows(IllegalArgumentException.class, () -> new HashAggregateOperator(context, in,
                new AggregateSpec(List.of(), List.of(AggregateCall.of(AggregateKind.SUM, 0, "s", DataType.BIGINT)))));
        assertThrows(IllegalArgumentException.class, () -> new HashAggregateOperator(context, in,
                new AggregateSpec(List.of(), List.of(AggregateCall.of(AggregateKind.COUNT, 0, "c", DataType.INTEGER)))));
        in.close();
    }

    @Test
    void closeBeforeTheEndFreesEverythingAndClosesTheInput() {
        List<Object[]> input = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            input.add(row(i, "s" + (i % 10)));
        }
        context.setBatchSize(100);
        ListOperator in = new ListOperator(context, cols(col("k", DataType.INTEGER), col("s", DataType.TEXT)), input);
        HashAggregateOperator op = new HashAggregateOperator(context, in, new AggregateSpec(List.of(0),
                List.of(AggregateCall.of(AggregateKind.MAX, 1, "m", DataType.TEXT))));
        op.next();
        assertTrue(context.allocatedBytes() > 0);
        op.close();
        op.close();
        assertTrue(in.isClosed());
        assertEquals(0, context.allocatedBytes());
        assertThrows(IllegalStateException.class, op::next);
    }
}
