package dev.duet.core.exec;

import java.util.List;
import java.util.Objects;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * An operator that counts what another returns, for {@code EXPLAIN ANALYZE}: rows, batches and the
 * wall time of each {@link #next()} call, into an {@link OperatorProfile}. Only created when a
 * query is profiled ({@link QueryContext#profile()}); a query run normally has no wrapper and no
 * clock reads.
 *
 * <p>The operators of one plan node may run on several threads at once (the workers of a parallel
 * query): the profile is updated under its own monitor, once per batch, which costs nothing next
 * to the clock reads.
 */
final class ProfiledOperator implements Operator {
    private final Operator operator;
    private final OperatorProfile profile;
    private boolean reported;

    ProfiledOperator(Operator operator, OperatorProfile profile) {
        this.operator = Objects.requireNonNull(operator, "operator is null");
        this.profile = profile;
        synchronized (profile) {
            profile.instances++;
        }
    }

    @Override
    public List<BatchColumn> columns() {
        return operator.columns();
    }

    @Override
    public VectorSchemaRoot next() {
        long start = System.nanoTime();
        VectorSchemaRoot batch;
        try {
            batch = operator.next();
        } finally {
            long nanos = System.nanoTime() - start;
            synchronized (profile) {
                profile.nanos += nanos;
            }
        }
        if (batch != null) {
            synchronized (profile) {
                profile.batches++;
                profile.rows += batch.getRowCount();
            }
        }
        return batch;
    }

    @Override
    public void reportDetails(OperatorDetails details) {
        operator.reportDetails(details);
    }

    /** Takes the operator's details (once) before it frees its state, then closes it. */
    @Override
    public void close() {
        if (!reported) {
            reported = true;
            synchronized (profile) {
                operator.reportDetails(profile::addDetail);
            }
        }
        operator.close();
    }
}
