package dev.duet.rowstore;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rows of one table: one {@link Slot} per encoded primary key (memcomparable, see
 * {@code KeyCodec}) holding the head of the key's version chain. Slots are reachable two ways: a
 * hash index for point lookups (a skip-list search over a million keys is a chain of cache
 * misses) and a skip list in key order for scans. Both indexes and every {@code Slot.head} are
 * written only by committers holding the store's commit lock (or by single-threaded recovery);
 * readers go lock-free through either index and follow immutable chains.
 *
 * <p>The entries of a secondary index are stored the same way ({@link #forIndex}): the key is the
 * encoded indexed values followed by the row's primary key, a version's "row" is that primary key
 * (null: the entry was removed), and there is no hash index (index entries are only ever scanned
 * by prefix).
 */
final class VersionedTable {
    static final Comparator<byte[]> KEY_ORDER = Arrays::compareUnsigned;

    /** A key and its newest version. */
    static final class Slot {
        final byte[] key;
        /** Newest version; replaced under the commit lock. */
        volatile RowVersion head;

        Slot(byte[] key, RowVersion head) {
            this.key = key;
            this.head = head;
        }
    }

    /** Hash-map key over the bytes of an encoded key. */
    private static final class Key {
        private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

        private final byte[] bytes;
        private final int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.hash = hash(bytes);
        }

        /**
         * A well-mixed hash. {@code Arrays.hashCode} is not: encoded integer keys differ only in
         * their last bytes, its polynomial maps a million of them onto a quarter million values,
         * and the hash map's bins degrade into trees (measured: 77% of a point lookup).
         */
        static int hash(byte[] b) {
            long h = 0x9E3779B97F4A7C15L ^ b.length;
            int i = 0;
            for (; i + 8 <= b.length; i += 8) {
                h = (h ^ (long) LONG.get(b, i)) * 0xFF51AFD7ED558CCDL;
                h ^= h >>> 32;
            }
            for (; i < b.length; i++) {
                h = (h ^ (b[i] & 0xFF)) * 0x100000001B3L;
            }
            h ^= h >>> 33;
            h *= 0xC4CEB9FE1A85EC53L;
            h ^= h >>> 33;
            return (int) h;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
        }
    }

    final long id;
    /** Key order, for scans. Guarded for writes by the commit lock. */
    private final ConcurrentSkipListMap<byte[], Slot> ordered = new ConcurrentSkipListMap<>(KEY_ORDER);
    /** Point lookups; null for index storage, which finds keys in {@link #ordered}. Guarded for writes by the commit lock. */
    private final ConcurrentHashMap<Key, Slot> byKey;
    /**
     * Keys this table holds a slot for: live rows plus rows deleted but not yet pruned. An estimate
     * for the planner; read without the commit lock.
     */
    long slotCount() {
        return ordered.size();
    }

    /** Next hidden row id for tables without a primary key; ids are never reused. */
    final AtomicLong nextRowId = new AtomicLong(1);
    /** Timestamp of the newest commit that wrote to this table. Written under the commit lock. */
    volatile long lastWriteTs;
    /**
     * Horizon of the last complete {@link #prune} pass (maintenance thread only). While no commit
     * after it has written the table, another pass could not reclaim anything.
     */
    long prunedUpTo = -1;

    VersionedTable(long id) {
        this(id, 16);
    }

    VersionedTable(long id, int expectedKeys) {
        this(id, new ConcurrentHashMap<>(Math.max(16, expectedKeys + expectedKeys / 3)));
    }

    private VersionedTable(long id, ConcurrentHashMap<Key, Slot> byKey) {
        this.id = id;
        this.byKey = byKey;
    }

    /** Storage for the entries of index {@code indexId}: ordered only. */
    static VersionedTable forIndex(long indexId) {
        return new VersionedTable(indexId, null);
    }

    /** The newest version of a key (committed, possibly after the caller's snapshot), or null. */
    RowVersion head(byte[] key) {
        Slot s = slot(key);
        return s == null ? null : s.head;
    }

    /** The slot of a key, or null. */
    Slot slot(byte[] key) {
        return byKey == null ? ordered.get(key) : byKey.get(new Key(key));
    }

    /** Makes {@code v} the newest version of {@code key}. Commit lock held (or recovery). */
    void install(byte[] key, RowVersion v) {
        install(slot(key), key, v);
    }

    /**
     * Makes {@code v} the newest version of {@code key}, whose slot the caller has just looked up
     * under the same hold of the commit lock ({@code slot}, null if the key had none).
     */
    void install(Slot slot, byte[] key, RowVersion v) {
        lastWriteTs = v.ts;
        if (slot == null) {
            Slot s = new Slot(key, v);
            if (byKey != null) {
                byKey.put(new Key(key), s);
            }
            ordered.put(key, s);
        } else {
            slot.head = v;
        }
    }

    /** Forgets a key entirely (recovery replaying a deletion). */
    void remove(byte[] key) {
        Slot s = byKey == null ? ordered.get(key) : byKey.remove(new Key(key));
        if (s != null) {
            ordered.remove(key, s);
        }
    }

    /**
     * Adds rows loaded from a checkpoint, sorted by key first: the skip list grows far faster in
     * key order than in the checkpoint's hash order. Recovery only.
     */
    void load(List<Slot> slots) {
        slots.sort((a, b) -> KEY_ORDER.compare(a.key, b.key));
        for (Slot s : slots) {
            if (byKey != null) {
                byKey.put(new Key(s.key), s);
            }
            ordered.put(s.key, s);
        }
    }

    /** Slots with keys in {@code [from, to)} in key order; null bounds are open. */
    NavigableMap<byte[], Slot> range(byte[] from, byte[] to) {
        if (from == null && to == null) {
            return ordered;
        }
        if (from == null) {
            return ordered.headMap(to, false);
        }
        if (to == null) {
            return ordered.tailMap(from, true);
        }
        if (KEY_ORDER.compare(from, to) >= 0) {
            return ordered.subMap(from, true, from, false);
        }
        return ordered.subMap(from, true, to, false);
    }

    Iterable<Slot> slots() {
        return ordered.values();
    }

    /**
     * Prunes every chain to what snapshots at or after {@code horizon} can see, and returns the
     * slots whose visible version at the horizon is a deletion, for {@link #removeIfDead} under
     * the commit lock. Pruning itself is safe next to readers and committers.
     */
    List<Slot> prune(long horizon) {
        List<Slot> dead = new ArrayList<>();
        if (lastWriteTs <= prunedUpTo) {
            return dead;
        }
        prunedUpTo = horizon;
        for (Slot s : ordered.values()) {
            RowVersion head = s.head;
            RowVersion v = RowVersion.prune(head, horizon);
            if (v == head && head.row == null) {
                dead.add(s);
            }
        }
        return dead;
    }

    /** Removes a slot whose newest version is a deletion no snapshot can see past. Commit lock held. */
    boolean removeIfDead(Slot s, long horizon) {
        RowVersion head = s.head;
        if (head.row != null || head.ts > horizon) {
            return false;
        }
        if (byKey != null) {
            byKey.remove(new Key(s.key), s);
        }
        ordered.remove(s.key, s);
        return true;
    }
}
