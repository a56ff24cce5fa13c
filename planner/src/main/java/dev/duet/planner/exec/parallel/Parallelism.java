package dev.duet.planner.exec.parallel;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What a statement's gathers need at run time, attached to its {@link dev.duet.core.exec.QueryContext}
 * by the engine ({@code context.attach(Parallelism.class, ...)}): the database's worker pool and
 * the rows per morsel of an in-memory segment. Without it, every gather runs its pipeline
 * serially on the query's thread.
 *
 * @param workers    the database's pool of worker threads (bounded; gathers never depend on it
 *                   having a free thread, see {@link dev.duet.planner.exec.ops.GatherOperator})
 * @param morselRows rows per morsel of an in-memory segment (a sealed segment's morsel is a row group)
 */
public record Parallelism(Executor workers, int morselRows) {
    /** Rows per morsel of an in-memory segment unless set: a few batches' worth, as a sealed row group. */
    public static final int DEFAULT_MORSEL_ROWS = 1 << 14;

    public Parallelism {
        Objects.requireNonNull(workers, "workers is null");
        if (morselRows < 1) {
            throw new IllegalArgumentException("morselRows must be positive, got " + morselRows);
        }
    }
}
