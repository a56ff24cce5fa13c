package dev.duet.rowstore;

import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rows of one table: encoded primary key (memcomparable, see {@code KeyCodec}) to the head of
 * its version chain, in key order. Heads are replaced only by committers holding the store's
 * commit lock; readers traverse without locks (the skip list is concurrent, chains are immutable
 * except for pruning).
 */
final class VersionedTable {
    static final Comparator<byte[]> KEY_ORDER = Arrays::compareUnsigned;

    final long id;
    /** Key → newest version. Writes: under RowStore.commitLock (and during single-threaded recovery). */
    final ConcurrentSkipListMap<byte[], RowVersion> rows = new ConcurrentSkipListMap<>(KEY_ORDER);
    /** Next hidden row id for tables without a primary key; ids are never reused. */
    final AtomicLong nextRowId = new AtomicLong(1);

    VersionedTable(long id) {
        this.id = id;
    }

    RowVersion head(byte[] key) {
        return rows.get(key);
    }

    /** Keys in {@code [from, to)}; null bounds are open. */
    ConcurrentNavigableMap<byte[], RowVersion> range(byte[] from, byte[] to) {
        if (from == null && to == null) {
            return rows;
        }
        if (from == null) {
            return rows.headMap(to, false);
        }
        if (to == null) {
            return rows.tailMap(from, true);
        }
        if (KEY_ORDER.compare(from, to) >= 0) {
            return rows.subMap(from, true, from, false);
        }
        return rows.subMap(from, true, to, false);
    }

    /**
     * Prunes every chain to what snapshots at or after {@code horizon} can see, and removes keys
     * whose visible version at the horizon is a deletion. Safe to run concurrently with readers
     * and committers: removal is conditional on the head not having changed.
     */
    long vacuum(long horizon) {
        long removed = 0;
        for (var e : rows.entrySet()) {
            RowVersion head = e.getValue();
            RowVersion v = RowVersion.prune(head, horizon);
            if (v == head && head.row == null && rows.remove(e.getKey(), head)) {
                removed++;
            }
        }
        return removed;
    }
}
