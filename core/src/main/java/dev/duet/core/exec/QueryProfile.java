package dev.duet.core.exec;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The measurements of one {@code EXPLAIN ANALYZE} run: an {@link OperatorProfile} per plan node.
 * Set on the query's context ({@link QueryContext#setProfile}) before its operators are created;
 * whoever creates an operator for a plan node then passes it through {@link #instrument}, which
 * wraps it in a counting operator. Plan nodes are keyed by identity (core does not know the
 * planner's node type); several operators created for one node share its profile.
 *
 * <p>Filled by the thread(s) creating and running the query's operators, read after the query
 * ended. Guarded by {@code this} for creation of entries only (operators of one query may be
 * created on several threads); the counters themselves follow {@link OperatorProfile}'s rule.
 */
public final class QueryProfile {
    private final Map<Object, OperatorProfile> byNode = new IdentityHashMap<>();
    /** Set by {@link QueryContext#close()}; volatile as the closing thread may not be the reader. */
    private volatile long peakBytes = -1;

    /** {@code operator}, created for {@code node}, wrapped so that it counts into the node's profile. */
    public Operator instrument(Object node, Operator operator) {
        Objects.requireNonNull(node, "node is null");
        OperatorProfile profile;
        synchronized (this) {
            profile = byNode.computeIfAbsent(node, n -> new OperatorProfile());
        }
        return new ProfiledOperator(operator, profile);
    }

    /** What was measured for {@code node}, or null if no operator was created for it. */
    public synchronized OperatorProfile of(Object node) {
        return byNode.get(node);
    }

    /**
     * The most bytes the query's allocator held at once, recorded when its context closed; -1
     * while the context is open.
     */
    public long peakBytes() {
        return peakBytes;
    }

    void recordPeak(long bytes) {
        peakBytes = bytes;
    }
}
