package dev.duet.rowstore;

import java.util.TreeMap;

/**
 * The published commit horizon and the set of open snapshots. A snapshot is taken and registered
 * in one step under this object's monitor, so the GC horizon ({@link #horizon()}) can never pass a
 * snapshot that is about to be used. All fields are guarded by {@code this}.
 */
final class SnapshotRegistry {
    /** Newest commit timestamp whose effects are visible (durable, in fsync mode). */
    private long visibleTs;
    /** WAL position just after the commit record of {@link #visibleTs}. */
    private long visibleEndLsn;
    /** Open snapshot timestamp → number of holders. */
    private final TreeMap<Long, Integer> open = new TreeMap<>();

    SnapshotRegistry(long visibleTs, long visibleEndLsn) {
        this.visibleTs = visibleTs;
        this.visibleEndLsn = visibleEndLsn;
    }

    /** Takes and registers a snapshot at the newest visible commit. */
    synchronized long acquire() {
        open.merge(visibleTs, 1, Integer::sum);
        return visibleTs;
    }

    /** Takes and registers a snapshot; also returns the WAL position it corresponds to. */
    synchronized long[] acquireWithLsn() {
        open.merge(visibleTs, 1, Integer::sum);
        return new long[] {visibleTs, visibleEndLsn};
    }

    synchronized void release(long ts) {
        Integer n = open.get(ts);
        if (n == null) {
            throw new IllegalStateException("snapshot " + ts + " is not open");
        }
        if (n == 1) {
            open.remove(ts);
        } else {
            open.put(ts, n - 1);
        }
    }

    /** Makes commit {@code ts} (ending at {@code endLsn}) and everything before it visible. */
    synchronized void publish(long ts, long endLsn) {
        if (ts > visibleTs) {
            visibleTs = ts;
            visibleEndLsn = endLsn;
        }
    }

    synchronized long visibleTs() {
        return visibleTs;
    }

    /** Oldest timestamp any open or future snapshot may read at. */
    synchronized long horizon() {
        return open.isEmpty() ? visibleTs : Math.min(open.firstKey(), visibleTs);
    }

    synchronized int openCount() {
        int n = 0;
        for (int c : open.values()) {
            n += c;
        }
        return n;
    }
}
