package dev.duet.engine.sql;

import java.util.Objects;

/**
 * What {@link Session#executeBatch} did: the update counts of the statements that took effect,
 * in batch order, and the failure that stopped the batch, or null if every statement ran.
 */
public record BatchOutcome(long[] counts, RuntimeException failure) {
    public BatchOutcome {
        Objects.requireNonNull(counts, "counts is null");
    }
}
