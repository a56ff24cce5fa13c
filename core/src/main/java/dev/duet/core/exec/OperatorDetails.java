package dev.duet.core.exec;

/**
 * Where an operator reports counters beyond rows and time for {@code EXPLAIN ANALYZE} (see
 * {@link Operator#reportDetails}): a scan reports {@code "segments skipped"}, {@code "row groups
 * skipped"}, {@code "rows read"} and the like. Names are short lower-case phrases, shown as
 * {@code name: value} under the operator's line; values of the same name add up (an operator
 * created several times for one plan node reports once per instance).
 */
@FunctionalInterface
public interface OperatorDetails {
    /** Adds {@code value} to the counter {@code name}. */
    void add(String name, long value);
}
