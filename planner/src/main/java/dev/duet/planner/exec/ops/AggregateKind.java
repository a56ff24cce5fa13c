package dev.duet.planner.exec.ops;

/**
 * The aggregate functions {@link HashAggregateOperator} computes. NULL arguments are ignored by
 * every kind except {@link #COUNT_STAR} (which has no argument) and {@link #SINGLE_VALUE}; over no
 * (non-NULL) rows every kind but the counts gives NULL.
 */
public enum AggregateKind {
    /** {@code COUNT(*)}: rows in the group; no argument. BIGINT. */
    COUNT_STAR,
    /** {@code COUNT(x)}: non-NULL values. BIGINT. */
    COUNT,
    /**
     * {@code SUM(x)}: SMALLINT/INTEGER → BIGINT, BIGINT → DECIMAL(38,0), DECIMAL(p,s) →
     * DECIMAL(38,s), REAL/DOUBLE → DOUBLE (the planner's type system); an integer sum may also be
     * asked for as SMALLINT/INTEGER/BIGINT. Overflow of the output type is 22003.
     */
    SUM,
    /** {@code AVG(x)} of a numeric argument: DOUBLE (or REAL). */
    AVG,
    /** {@code MIN(x)}: the argument's type; strings by byte order, NaN above every number. */
    MIN,
    /** {@code MAX(x)}: as {@link #MIN}. */
    MAX,
    /** {@code STDDEV_SAMP(x)} (and {@code STDDEV}): DOUBLE; NULL below two values. */
    STDDEV_SAMP,
    /** {@code STDDEV_POP(x)}: DOUBLE. */
    STDDEV_POP,
    /** {@code VAR_SAMP(x)} (and {@code VARIANCE}): DOUBLE; NULL below two values. */
    VAR_SAMP,
    /** {@code VAR_POP(x)}: DOUBLE. */
    VAR_POP,
    /** {@code BOOL_AND(x)} (and {@code EVERY}): BOOLEAN. */
    BOOL_AND,
    /** {@code BOOL_OR(x)}: BOOLEAN. */
    BOOL_OR,
    /**
     * Calcite's {@code SINGLE_VALUE(x)} for scalar subqueries: the group's only value (NULL
     * included), NULL over no rows, error 21000 when the group has more than one row.
     */
    SINGLE_VALUE
}
