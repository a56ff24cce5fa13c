package dev.duet.rowstore;

import java.util.Arrays;

/**
 * The published commit horizon and the set of open snapshots. A snapshot is taken and registered
 * in one step under this object's monitor, so the GC horizon ({@link #horizon()}) can never pass a
 * snapshot that is about to be used. All fields are guarded by {@code this}.
 *
 * <p>Every transaction takes and releases a snapshot, so this is on the path of each statement run
 * in auto-commit mode and allocates nothing: open snapshots are kept as (timestamp, holders)
 * pairs in two parallel arrays ordered by timestamp. A snapshot is always taken at the newest
 * visible timestamp, which only grows, so a new pair is only ever appended at the end; a release
 * finds its pair by binary search. Pairs whose holders dropped to zero are removed at either end
 * at once and in the middle when the arrays would otherwise have to grow.
 */
final class SnapshotRegistry {
    /** Newest commit timestamp whose effects are visible (durable, in fsync mode). */
    private long visibleTs;
    /** WAL position just after the commit record of {@link #visibleTs}. */
    private long visibleEndLsn;
    /** Open snapshot timestamps, ascending, in [0, size); the first one has holders. */
    private long[] openTs = new long[16];
    /** Number of holders of each timestamp in {@link #openTs} (0: released, not yet removed). */
    private int[] holders = new int[16];
    private int size;

    SnapshotRegistry(long visibleTs, long visibleEndLsn) {
        this.visibleTs = visibleTs;
        this.visibleEndLsn = visibleEndLsn;
    }

    /** Takes and registers a snapshot at the newest visible commit. */
    synchronized long acquire() {
        long ts = visibleTs;
        if (size > 0 && openTs[size - 1] == ts) {
            holders[size - 1]++;
            return ts;
        }
        if (size == openTs.length) {
            compact();
            if (size == openTs.length) {
                openTs = Arrays.copyOf(openTs, size * 2);
                holders = Arrays.copyOf(holders, size * 2);
            }
        }
        openTs[size] = ts;
        holders[size] = 1;
        size++;
        return ts;
    }

    /** Takes and registers a snapshot; also returns the WAL position it corresponds to. */
    synchronized long[] acquireWithLsn() {
        long ts = acquire();
        return new long[] {ts, visibleEndLsn};
    }

    synchronized void release(long ts) {
        int i = Arrays.binarySearch(openTs, 0, size, ts);
        if (i < 0 || holders[i] == 0) {
            throw new IllegalStateException("snapshot " + ts + " is not open");
        }
        if (--holders[i] > 0) {
            return;
        }
        if (i == size - 1) {
            while (size > 0 && holders[size - 1] == 0) {
                size--;
            }
        } else if (i == 0) {
            int first = 0;
            while (first < size && holders[first] == 0) {
                first++;
            }
            System.arraycopy(openTs, first, openTs, 0, size - first);
            System.arraycopy(holders, first, holders, 0, size - first);
            size -= first;
        }
    }

    /** Removes the released pairs in the middle. */
    private void compact() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (holders[i] > 0) {
                openTs[n] = openTs[i];
                holders[n] = holders[i];
                n++;
            }
        }
        size = n;
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
        return size == 0 ? visibleTs : Math.min(openTs[0], visibleTs);
    }

    synchronized int openCount() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            n += holders[i];
        }
        return n;
    }
}
