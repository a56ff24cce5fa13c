package dev.duet.jdbc;

import java.math.BigDecimal;

/**
 * The current row of a result set as {@link JdbcConversions} reads it: one cell at a time,
 * columns 0-based, each read asking for the form the column's SQL type is held in. A read is only
 * made of a non-null cell and only in the form of its type (the conversions switch on the type
 * first), so an implementation may assume both. Two forms exist: a row of an Arrow batch
 * ({@link BatchRow}, read without boxing) and a row of canonical Java values ({@link ValuesRow},
 * the rows of a primary-key point lookup, for which no batch is built).
 */
interface CurrentRow {
    /** True if the cell is NULL. */
    boolean isNull(int column);

    /** A BOOLEAN (1 or 0), SMALLINT, INTEGER or BIGINT cell. */
    long integer(int column);

    /** A REAL or DOUBLE cell. */
    double floating(int column);

    /** A DECIMAL cell, at its column's scale. */
    BigDecimal decimal(int column);

    /** A VARCHAR cell. */
    String text(int column);

    /** A VARCHAR cell's UTF-8 bytes or a BYTEA cell's bytes, in an array of the caller's own. */
    byte[] bytes(int column);

    /** Any cell as its canonical Java value ({@link dev.duet.core.types.DataType}); BYTEA in an array of the caller's own. */
    Object canonical(int column);
}
