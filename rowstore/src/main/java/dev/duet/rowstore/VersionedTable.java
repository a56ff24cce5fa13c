package dev.duet.rowstore;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
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
 * <p>The hash index is an open-addressing table of slot references (linear probing, the hash kept
 * in the slot), not a {@code ConcurrentHashMap}: that cost a node and a key wrapper, about 56
 * bytes and two objects per row, and young collections copied them all after a bulk insert.
 * Protocol (single writer, lock-free readers):
 * <ul>
 * <li>Only a thread holding the commit lock (or recovery, before the store is shared) changes
 *     {@link #cells} or its contents; it stores into a cell with release semantics, readers load
 *     with acquire, so a reader that finds a slot also sees its key, hash and first version.</li>
 * <li>A cell goes from null to a slot, from a slot to {@link #TOMBSTONE} (removal), and from a
 *     tombstone to a slot. Entries never move within an array, so a reader probing while the
 *     writer inserts or removes finds every slot that was there when it started, except one being
 *     removed (a key deleted before the horizon, which no snapshot sees either way).</li>
 * <li>Growth builds a new array privately, fills it, and only then publishes it through the
 *     volatile field; the old array is never written again. A reader that loaded the old array
 *     sees the table as it was: it can miss only slots installed after it started, which belong
 *     to commits newer than any snapshot it could read at (those were installed before their
 *     timestamp was published).</li>
 * <li>The writer keeps at least a quarter of the cells null (counting tombstones as used), so every
 *     probe ends at a null cell.</li>
 * </ul>
 *
 * <p>The entries of a secondary index are stored the same way ({@link #forIndex}): the key is the
 * encoded indexed values followed by the row's primary key, a version's "row" is that primary key
 * (null: the entry was removed), and there is no hash index (index entries are only ever scanned
 * by prefix).
 */
final class VersionedTable {
    static final Comparator<byte[]> KEY_ORDER = Arrays::compareUnsigned;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(Slot[].class);
    /** What a removed slot's cell holds, so that probes for keys placed after it go on. */
    private static final Slot TOMBSTONE = new Slot(new byte[0], null);
    private static final int MIN_CELLS = 16;

    /** A key and its newest version. */
    static final class Slot {
        final byte[] key;
        /** {@link #hash} of the key: probes compare it before the key's bytes, growth does not recompute it. */
        final int hash;
        /** Newest version; replaced under the commit lock. */
        volatile RowVersion head;

        Slot(byte[] key, RowVersion head) {
            this.key = key;
            this.hash = hash(key);
            this.head = head;
        }
    }

    /**
     * A well-mixed hash of an encoded key. {@code Arrays.hashCode} is not: encoded integer keys
     * differ only in their last bytes, its polynomial maps a million of them onto a quarter million
     * values, and the probe sequences would run into each other.
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

    final long id;
    /** Key order, for scans. Guarded for writes by the commit lock. */
    private final ConcurrentSkipListMap<byte[], Slot> ordered = new ConcurrentSkipListMap<>(KEY_ORDER);
    /**
     * The hash index (see the class comment for its protocol); a power-of-two length. Null for
     * index storage, which finds keys in {@link #ordered}.
     */
    private volatile Slot[] cells;
    /** Commit lock: cells holding a slot, and cells holding a slot or a tombstone. */
    private int liveCells;
    private int usedCells;

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
        this(id, 0);
    }

    VersionedTable(long id, int expectedKeys) {
        this(id, new Slot[cellsFor(expectedKeys)]);
    }

    private VersionedTable(long id, Slot[] cells) {
        this.id = id;
        this.cells = cells;
    }

    /** Storage for the entries of index {@code indexId}: ordered only. */
    static VersionedTable forIndex(long indexId) {
        return new VersionedTable(indexId, null);
    }

    /** A power-of-two number of cells that holds {@code keys} slots at most half full. */
    private static int cellsFor(int keys) {
        long want = Math.max(MIN_CELLS, 2L * keys);
        if (want > 1 << 30) {
            throw new IllegalStateException("a table of " + keys + " keys is too large for one hash index");
        }
        return Integer.highestOneBit((int) want - 1) << 1;
    }

    /** The newest version of a key (committed, possibly after the caller's snapshot), or null. */
    RowVersion head(byte[] key) {
        Slot s = slot(key);
        return s == null ? null : s.head;
    }

    /** The slot of a key, or null. Lock-free. */
    Slot slot(byte[] key) {
        Slot[] c = cells;
        if (c == null) {
            return ordered.get(key);
        }
        int h = hash(key);
        int mask = c.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Slot s = (Slot) CELL.getAcquire(c, i);
            if (s == null) {
                return null;
            }
            if (s.hash == h && s != TOMBSTONE && Arrays.equals(s.key, key)) {
                return s;
            }
        }
    }

    /** Adds a slot whose key has none to the hash index. Commit lock held (or recovery). */
    private void hashInsert(Slot s) {
        Slot[] c = cells;
        if ((usedCells + 1) * 4L > c.length * 3L) {
            c = grow(liveCells + 1);
        }
        int mask = c.length - 1;
        for (int i = s.hash & mask; ; i = (i + 1) & mask) {
            Slot at = c[i]; // plain read: only this thread writes cells
            if (at == null || at == TOMBSTONE) {
                if (at == null) {
                    usedCells++;
                }
                liveCells++;
                CELL.setRelease(c, i, s);
                return;
            }
        }
    }

    /** Takes slot {@code s} out of the hash index if it is there. Commit lock held (or recovery). */
    private void hashRemove(Slot s) {
        Slot[] c = cells;
        int mask = c.length - 1;
        for (int i = s.hash & mask; ; i = (i + 1) & mask) {
            Slot at = c[i];
            if (at == null) {
                return;
            }
            if (at == s) {
                CELL.setRelease(c, i, TOMBSTONE);
                liveCells--;
                return;
            }
        }
    }

    /**
     * Publishes a new cell array sized for {@code keys} slots holding every live slot (tombstones
     * are dropped), filled before publication; returns it. Commit lock held (or recovery).
     */
    private Slot[] grow(int keys) {
        Slot[] old = cells;
        Slot[] next = new Slot[cellsFor(keys)];
        int mask = next.length - 1;
        int n = 0;
        for (Slot s : old) {
            if (s != null && s != TOMBSTONE) {
                int i = s.hash & mask;
                while (next[i] != null) {
                    i = (i + 1) & mask;
                }
                next[i] = s;
                n++;
            }
        }
        liveCells = n;
        usedCells = n;
        cells = next; // volatile: publishes the filled array
        return next;
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
            if (cells != null) {
                hashInsert(s);
            }
            ordered.put(key, s);
        } else {
            slot.head = v;
        }
    }

    /** Forgets a key entirely (recovery replaying a deletion). */
    void remove(byte[] key) {
        Slot s = slot(key);
        if (s != null) {
            forget(s);
        }
    }

    /** Takes {@code s} out of both indexes. Commit lock held (or recovery). */
    private void forget(Slot s) {
        if (cells != null) {
            hashRemove(s);
        }
        ordered.remove(s.key, s);
    }

    /**
     * Adds rows loaded from a checkpoint, sorted by key first: the skip list grows far faster in
     * key order than in the checkpoint's hash order. Recovery only.
     */
    void load(List<Slot> slots) {
        slots.sort((a, b) -> KEY_ORDER.compare(a.key, b.key));
        if (cells != null && (usedCells + slots.size()) * 4L > cells.length * 3L) {
            grow(liveCells + slots.size());
        }
        for (Slot s : slots) {
            if (cells != null) {
                hashInsert(s);
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
        forget(s);
        return true;
    }
}
