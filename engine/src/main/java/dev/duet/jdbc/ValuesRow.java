package dev.duet.jdbc;

import dev.duet.core.types.DataType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * A row held as canonical Java values ({@link DataType}: Boolean, Short, Integer, Long, Float,
 * Double, BigDecimal, String, LocalDate, LocalDateTime, byte[]; null for NULL), as a primary-key
 * point lookup returns it without building an Arrow batch. Reused from row to row.
 */
final class ValuesRow implements CurrentRow {
    private final DataType[] types;
    private Object[] values;

    ValuesRow(DataType[] types) {
        this.types = types;
    }

    /** Moves to the row of {@code values} (one per column). */
    void moveTo(Object[] values) {
        if (values.length != types.length) {
            throw new IllegalStateException("a row of " + values.length + " values in a result of " + types.length + " columns");
        }
        this.values = values;
    }

    @Override
    public boolean isNull(int column) {
        return values[column] == null;
    }

    @Override
    public long integer(int column) {
        Object v = values[column];
        return v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).longValue();
    }

    @Override
    public double floating(int column) {
        return ((Number) values[column]).doubleValue();
    }

    @Override
    public BigDecimal decimal(int column) {
        return (BigDecimal) values[column];
    }

    @Override
    public String text(int column) {
        return (String) values[column];
    }

    @Override
    public byte[] bytes(int column) {
        Object v = values[column];
        return v instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : ((byte[]) v).clone();
    }

    @Override
    public Object canonical(int column) {
        Object v = values[column];
        return v instanceof byte[] b ? b.clone() : v;
    }
}
