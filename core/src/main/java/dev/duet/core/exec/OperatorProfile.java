package dev.duet.core.exec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code EXPLAIN ANALYZE} measured for one plan node: the batches and rows its operators
 * returned, the wall time spent inside their {@link Operator#next()} calls (inclusive of the
 * inputs they pulled from), how many operators were created for it, and the extra counters they
 * reported ({@link Operator#reportDetails}).
 *
 * <p>Written by the threads running the node's operators (several at once in a parallel query)
 * under this object's monitor, and read once the query has ended, after its threads were joined.
 */
public final class OperatorProfile {
    long rows;
    long batches;
    long nanos;
    int instances;
    /** Filled when an operator closes, not per batch. */
    private final Map<String, Long> details = new LinkedHashMap<>();

    OperatorProfile() {
    }

    /** Rows returned by the node's operators. */
    public long rows() {
        return rows;
    }

    /** Batches returned by the node's operators (not counting the final null). */
    public long batches() {
        return batches;
    }

    /** Nanoseconds spent in the operators' {@code next()}, inputs included. */
    public long nanos() {
        return nanos;
    }

    /** How many operators were created for the node (0: never executed). */
    public int instances() {
        return instances;
    }

    /** The extra counters the operators reported, in the order first reported. */
    public Map<String, Long> details() {
        return Collections.unmodifiableMap(details);
    }

    void addDetail(String name, long value) {
        details.merge(name, value, Long::sum);
    }
}
