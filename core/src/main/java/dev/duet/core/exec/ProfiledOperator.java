package dev.duet.core.exec;

import java.util.List;
import java.util.Objects;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * An operator that counts what another returns, for {@code EXPLAIN ANALYZE}: rows, batches and the
 * wall time of each {@link #next()} call, into an {@link OperatorProfile}. Only created when a
 * query is profiled ({@link QueryContext#profile()}); a query run normally has no wrapper and no
 * clock reads.
 */
final class ProfiledOperator implements Operator {
    private final Operator operator;
    private final OperatorProfile profile;
    private boolean reported;

    ProfiledOperator(Operator operator, OperatorProfile profile) {
        this.operator = Objects.requireNonNull(operator, "operator is null");
        this.profile = profile;
        profile.instances++;
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
            profile.nanos += System.nanoTime() - start;
        }
        if (batch != null) {
            profile.batches++;
            profile.rows += batch.getRowCount();
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
            operator.reportDetails(profile::addDetail);
        }
        operator.close();
    }
}
