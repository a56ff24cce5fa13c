package dev.duet.planner.exec.ops;

import dev.duet.core.exec.Operator;

/**
 * An operator that drops rows (a filter, a projection with a fused filter) and can hand its
 * consumer a batch together with the rows it keeps, instead of gathering the kept rows into
 * compact vectors. Only a consumer that reads every column through a row selection asks for this
 * ({@link #acceptSelections}); any other consumer keeps getting compact batches, so the
 * {@link Operator} contract is unchanged for it.
 *
 * <p>The operator decides per batch: when it keeps most rows, gathering them would copy almost
 * the whole batch to save the consumer a few rows, so it returns the batch with a selection;
 * when it drops many, it still compacts (the consumer then reads fewer, denser rows).
 */
interface SelectingOperator extends Operator {
    /**
     * Keeping at least this many of every 16 rows of a batch, the batch is passed on with a
     * selection rather than compacted (12/16: of Q1's 98% kept rows, compacting cost about 8% of
     * its executor's samples; below three quarters, the rows a consumer would read for nothing
     * grow towards what the copy costs).
     */
    int SELECT_SIXTEENTHS = 12;

    /**
     * Called by the consumer before its first {@code next()}: from then on a returned batch may
     * carry a selection ({@link #selection()}), and the consumer must read only those rows.
     */
    void acceptSelections();

    /**
     * The rows of the batch the last {@code next()} returned that belong to the result, strictly
     * increasing, as {@code selection()[0..selectedCount())}; null when every row of the batch
     * does. Valid until the next {@code next()}; the consumer must not modify it.
     */
    int[] selection();

    /** How many rows {@link #selection()} holds (meaningless when it is null). */
    int selectedCount();

    /** Whether {@code kept} of {@code rows} rows is enough to pass a selection on. */
    static boolean worthSelecting(int kept, int rows) {
        return (long) kept * 16 >= (long) rows * SELECT_SIXTEENTHS;
    }
}
