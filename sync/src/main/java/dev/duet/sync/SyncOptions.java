package dev.duet.sync;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Settings of the sync.
 *
 * <p>{@code maxReplayBytes}: once the WAL a restart would have to replay (from the column store's
 * persisted watermark to its applied one) exceeds this, every open segment is sealed, however
 * small, so that the WAL can be truncated. {@code closePersistBytes}: a clean close seals the open
 * segments only when the next open would otherwise replay more WAL than this; below it, replaying
 * is cheaper than a small segment file per table on every close. {@code compactEveryCommits}: how
 * many commits the sync applies between two looks for segments worth compacting
 * ({@link dev.duet.columnstore.ColumnStore#compact}).
 *
 * <p><b>Backpressure.</b> A committer hands its commit to the sync and returns; when the sync is
 * behind, the committer waits (inside its commit, so every committer waits) until the backlog is
 * small enough again. Two bounds, whichever is hit first: {@code maxLag}, both the time the sync
 * would need to apply the backlog (its bytes times the apply cost per byte the sync measured over
 * its recent batches) and the age of the oldest commit in it (a sync that gets no CPU, or waits
 * for a segment file, measures no cost meanwhile), which bounds how stale a column-store scan
 * can be; and {@code maxQueueBytes},
 * the bytes of the commits received and not yet applied, which bounds the memory the backlog
 * holds (a hard cap, for when the estimate is off: a sync stalled on a seal measures no cost).
 * A smaller {@code maxLag} keeps column-store reads fresher at the price of a writer that waits
 * whenever it outruns the sync (it then runs at the sync's pace, in steps of one applied batch);
 * a larger one lets bursts through at full speed and pays with staler column reads (a scan waits
 * up to the lag for the watermark, or reads the row store). The backlog is also bounded to
 * {@value #RING_COMMITS} commits.
 */
public record SyncOptions(long maxReplayBytes, long maxQueueBytes, long closePersistBytes, int compactEveryCommits, Duration maxLag) {
    /** Commits received and not yet applied at most (the hand-over ring's entries). */
    public static final int RING_COMMITS = 1 << 14;

    public SyncOptions {
        requireNonNull(maxLag, "maxLag is null");
        if (maxReplayBytes < 1 || maxQueueBytes < 1 || closePersistBytes < 0 || compactEveryCommits < 1
                || maxLag.isNegative() || maxLag.isZero()) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public static SyncOptions defaults() {
        return new SyncOptions(64L << 20, 64L << 20, 1L << 20, 1024, Duration.ofMillis(20));
    }

    public SyncOptions withMaxReplayBytes(long value) {
        return new SyncOptions(value, maxQueueBytes, closePersistBytes, compactEveryCommits, maxLag);
    }

    public SyncOptions withMaxQueueBytes(long value) {
        return new SyncOptions(maxReplayBytes, value, closePersistBytes, compactEveryCommits, maxLag);
    }

    public SyncOptions withClosePersistBytes(long value) {
        return new SyncOptions(maxReplayBytes, maxQueueBytes, value, compactEveryCommits, maxLag);
    }

    public SyncOptions withCompactEveryCommits(int value) {
        return new SyncOptions(maxReplayBytes, maxQueueBytes, closePersistBytes, value, maxLag);
    }

    public SyncOptions withMaxLag(Duration value) {
        return new SyncOptions(maxReplayBytes, maxQueueBytes, closePersistBytes, compactEveryCommits, value);
    }
}
