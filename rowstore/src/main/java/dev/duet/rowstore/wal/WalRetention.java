package dev.duet.rowstore.wal;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;

/**
 * Decides how much of the log must be kept. Each consumer that still needs the log from some LSN
 * on (the checkpoint, later the column-store sync) registers and advances its position; the low
 * water mark is the smallest position, or the writer's end LSN when nobody is registered, and
 * {@link #deleteObsoleteSegments()} deletes the segments that lie wholly before it. Thread-safe:
 * all state is guarded by {@code this}, which is also held while segments are deleted, so a
 * consumer cannot register at an LSN whose segment is being deleted.
 */
public final class WalRetention {
    private final WalWriter writer;
    // guarded by this: consumer name -> first LSN it still needs.
    private final Map<String, Long> consumers = new HashMap<>();

    public WalRetention(WalWriter writer) {
        this.writer = requireNonNull(writer, "writer is null");
    }

    /** Starts retaining the log from {@code lsn} on for {@code consumer}. */
    public synchronized void register(String consumer, long lsn) {
        requireNonNull(consumer, "consumer is null");
        checkLsn(lsn);
        if (consumers.containsKey(consumer)) {
            throw new IllegalArgumentException("WAL consumer already registered: " + consumer);
        }
        consumers.put(consumer, lsn);
    }

    /**
     * Moves {@code consumer}'s position forward. Positions never move back: a consumer asking for
     * older records than it claimed before could find them deleted, so that is rejected as a bug.
     */
    public synchronized void advance(String consumer, long lsn) {
        requireNonNull(consumer, "consumer is null");
        checkLsn(lsn);
        Long current = consumers.get(consumer);
        if (current == null) {
            throw new IllegalArgumentException("WAL consumer not registered: " + consumer);
        }
        if (lsn < current) {
            throw new IllegalArgumentException("WAL consumer " + consumer + " cannot move back from lsn " + current + " to " + lsn);
        }
        consumers.put(consumer, lsn);
    }

    /** The first LSN {@code consumer} still needs, or -1 if it is not registered. */
    public synchronized long position(String consumer) {
        Long lsn = consumers.get(requireNonNull(consumer, "consumer is null"));
        return lsn == null ? -1 : lsn;
    }

    public synchronized void unregister(String consumer) {
        requireNonNull(consumer, "consumer is null");
        if (consumers.remove(consumer) == null) {
            throw new IllegalArgumentException("WAL consumer not registered: " + consumer);
        }
    }

    /** The smallest position over all consumers; the writer's end LSN if there are none. */
    public synchronized long lowWaterMark() {
        long low = writer.endLsn();
        for (long lsn : consumers.values()) {
            low = Math.min(low, lsn);
        }
        return low;
    }

    /** Deletes the segments no consumer needs any more; returns how many files were deleted. */
    public synchronized int deleteObsoleteSegments() {
        return writer.deleteSegmentsBefore(lowWaterMark());
    }

    private void checkLsn(long lsn) {
        if (lsn < 0 || lsn > writer.endLsn()) {
            throw new IllegalArgumentException("lsn " + lsn + " is outside the log [0, " + writer.endLsn() + "]");
        }
    }
}
