package dev.duet.planner.exec.join;

import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import java.util.Objects;

/**
 * A join with no equi-join key ({@link NestedLoopJoinSpec}): buffers the right input, then pairs
 * every left row with every right row, a batch of pairs at a time, and keeps the pairs the
 * condition accepts (all of them for a cross join). Supports every {@link JoinType} with the same
 * output as {@link HashJoinOperator}. Cost is the product of the inputs' sizes: the planner uses
 * it only where no equi-join key exists.
 */
public final class NestedLoopJoinOperator extends AbstractJoinOperator {
    private final NestedLoopJoinSpec spec;
    private int probeRow;
    private int buildRow;

    public NestedLoopJoinOperator(QueryContext ctx, NestedLoopJoinSpec spec, Operator left, Operator right) {
        super(ctx, Objects.requireNonNull(spec, "spec is null").type(), left, right, spec.condition(), null,
                spec.buildRowsEstimate());
        this.spec = spec;
    }

    /** The spec this join runs. */
    public NestedLoopJoinSpec spec() {
        return spec;
    }

    @Override
    void buildComplete() {
    }

    @Override
    void probeBatchStarted() {
        probeRow = 0;
        buildRow = 0;
    }

    @Override
    int nextCandidates(int[] probeRows, int[] buildRows, int room) {
        int size = build.size();
        boolean skipMatched = decidedByFirstMatch();
        // SEMI/ANTI with no condition: any one build row decides.
        boolean one = skipMatched && residual == null;
        int n = 0;
        while (probeRow < this.probeRows && n < room) {
            if (skipMatched && probeMatched[probeRow]) {
                probeRow++;
                buildRow = 0;
                continue;
            }
            int take = one ? 1 : Math.min(room - n, size - buildRow);
            for (int t = 0; t < take; t++) {
                probeRows[n] = probeRow;
                buildRows[n++] = buildRow + t;
            }
            buildRow += take;
            if (one || buildRow == size) {
                probeRow++;
                buildRow = 0;
            }
        }
        return n;
    }

    @Override
    void releaseState() {
    }

    @Override
    public String toString() {
        return spec.toString();
    }
}
