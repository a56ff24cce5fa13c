package dev.duet.rowstore;

import dev.duet.core.types.KeyHash;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rows of one table: one {@link Slot} per encoded primary key (memcomparable, see
 * {@code KeyCodec}) holding the head of the key's version chain. Slots are reachable two ways: a
 * hash index for point lookups (a skip-list search over a million keys is a chain of cache
 * misses) and a skip list in key order for scans, whose nodes are the slots themselves. Both
 * indexes and every {@code Slot.head} are written only by committers holding the store's commit
 * lock (or by single-threaded recovery); readers go lock-free through either index and follow
 * immutable chains.
 *
 * <p>Neither index is a {@code java.util.concurrent} map: a {@code ConcurrentHashMap} cost a node
 * and a key wrapper per row, a {@code ConcurrentSkipListMap} a node and on average half an index
 * node, together about 90 bytes and three and a half objects per row, and young collections
 * copied them all after a bulk insert (the 150-250 ms pauses of {@code SyncBenchmark}). Here a row
 * costs its slot (its first version, key, number, head, level-0 successor, upper successors of
 * one slot in four), its key and row arrays, any later versions, a hash cell and a page entry.
 * Protocol (single writer, lock-free readers):
 * <ul>
 * <li>Only a thread holding the commit lock (or recovery, before the store is shared) changes
 *     {@link #cells}, a cell, or a successor link; it stores with release semantics and readers
 *     load with acquire, so a reader that reaches a slot also sees its key, hash, first version
 *     and successors as they were when it was linked.</li>
 * <li>Hash index: open addressing, linear probing, a power-of-two {@code long[]} of cells, each
 *     the key's hash (high half) and its slot's number (low half) in {@link #pages}, which holds
 *     the slot. The cells hold no references: inserting a key writes one cell at a random place
 *     of a large, old array, and as a reference that store would dirty a card the next young
 *     collection scans (as many cards as inserts, for a collection's cost growing with the
 *     table); slot numbers are handed out in order, so the page stores land side by side. A cell
 *     goes from empty (0) to a slot, from a slot to {@link #TOMBSTONE} (removal), and from a
 *     tombstone to a slot; a slot's page entry is written before its cell, and cleared when its
 *     cell is tombstoned (the number is then reused). Entries never move within an array, so a
 *     probe finds every slot that was there when it started, except one being removed (a key
 *     deleted before the horizon, which no snapshot sees either way); a probe that meets a
 *     cleared or reused number compares the key and goes on. Growth builds a new array
 *     privately, fills it, and only then publishes it through the volatile field; the old array
 *     is never written again. The writer keeps at least a quarter of the cells empty (tombstones
 *     count as used), so every probe ends.</li>
 * <li>Skip list: a slot is linked bottom-up after its own successors are set, and unlinked top-down
 *     by pointing its predecessors past it; its own links are never changed again, so a reader
 *     standing on an unlinked slot still walks on, in key order, into the list.</li>
 * <li>A reader can miss only slots linked after it started, which belong to commits newer than any
 *     snapshot it could read at (a commit's slots are installed before its timestamp is
 *     published), and can meet a slot unlinked meanwhile, whose newest version is then a deletion
 *     no open snapshot sees past.</li>
 * </ul>
 *
 * <p>The entries of a secondary index are stored the same way ({@link #forIndex}): the key is the
 * encoded indexed values followed by the row's primary key, a version's "row" is that primary key
 * (null: the entry was removed), and there is no hash index (index entries are only ever scanned
 * by prefix; an exact lookup searches the skip list).
 */
final class VersionedTable {
    static final Comparator<byte[]> KEY_ORDER = Arrays::compareUnsigned;
    /** Elements of {@link Slot#up} and of the pages of {@link #pages}. */
    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(Slot[].class);
    /** Elements of {@link #cells}. */
    private static final VarHandle HASH_CELL = MethodHandles.arrayElementVarHandle(long[].class);
    /** Elements of {@link #pages}. */
    private static final VarHandle PAGE = MethodHandles.arrayElementVarHandle(Slot[][].class);
    /** Slots per page of {@link #pages}: a power of two. */
    private static final int PAGE_BITS = 10;
    private static final VarHandle NEXT;
    /** Levels above 0 a slot can have: ample for 2^31 keys at one in two per level. */
    private static final int MAX_UP = 30;
    /** What a removed slot's cell holds, so that probes for keys placed after it go on (no slot has number -1). */
    private static final long TOMBSTONE = -1L;
    private static final int MIN_CELLS = 16;
    /** Cells of a run of neighbouring keys ({@link #hash}): eight {@code long}s, a cache line. */
    private static final int RUN_BITS = 3;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(Slot.class, "next", Slot.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * A key, its newest version, and its node in the table's skip list. The slot is also the
     * key's first version (its inherited fields): a row written once costs the slot and its two
     * byte arrays, no separate {@link RowVersion}. Later versions chain in front of it.
     */
    static final class Slot extends RowVersion {
        final byte[] key;
        /** Where the slot is in {@link #pages} (0 for a slot of an index, which has no hash index); commit lock. */
        int number;
        /** Newest version (at first this slot itself); replaced under the commit lock. */
        volatile RowVersion head;
        /** Successor in key order (level 0); see the class comment for who writes it and how. */
        @SuppressWarnings("unused") // through NEXT
        private Slot next;
        /** Successors at levels 1 to {@code up.length}; null for a slot on level 0 only (three in four). */
        private final Slot[] up;

        /**
         * A slot whose first version is {@code row} (null: a deletion) committed at {@code ts}, at a
         * random height (one in four reaches level 1, one in two of those level 2, ...).
         */
        Slot(byte[] key, long ts, byte[] row) {
            this(key, ts, row, randomUp(), false);
        }

        /** A {@code sentinel} (the list head, the hash index's tombstone) has no version. */
        private Slot(byte[] key, long ts, byte[] row, int up, boolean sentinel) {
            super(ts, row, null);
            this.key = key;
            this.head = sentinel ? null : this;
            this.up = up == 0 ? null : new Slot[up];
        }

        private static int randomUp() {
            int r = ThreadLocalRandom.current().nextInt();
            if ((r & 3) != 0) {
                return 0;
            }
            int up = 1;
            for (r >>>= 2; (r & 1) != 0 && up < MAX_UP; r >>>= 1) {
                up++;
            }
            return up;
        }

        int levels() {
            return up == null ? 0 : up.length;
        }

        /** The successor at {@code level} (at most {@link #levels()}); acquire. */
        Slot succ(int level) {
            return level == 0 ? (Slot) NEXT.getAcquire(this) : (Slot) CELL.getAcquire(up, level - 1);
        }

        /** Sets the successor at {@code level}; release. Commit lock held (or recovery). */
        void succ(int level, Slot s) {
            if (level == 0) {
                NEXT.setRelease(this, s);
            } else {
                CELL.setRelease(up, level - 1, s);
            }
        }
    }

    /**
     * {@link KeyHash} with runs of eight cells (64 bytes): inserting ascending keys misses the
     * cache about once per run instead of once per key, a miss that was a fifth of the CPU time
     * of a single-row INSERT.
     */
    static int hash(byte[] b) {
        return KeyHash.of(b, 0, b.length, RUN_BITS);
    }

    final long id;
    /** The skip list's head: no key, every level. */
    private final Slot first = new Slot(null, 0, null, MAX_UP, true);
    /** Commit lock (volatile for readers): the highest level any slot has; readers may start lower. */
    private volatile int topLevel;
    /** Commit lock: the predecessors of the slot being linked or unlinked, per level. */
    private final Slot[] preds = new Slot[MAX_UP + 1];
    /**
     * Commit lock: the last slot linked at each level ({@link #first} where none), so that a key
     * above every other (ascending keys: row ids, sequences, time) is linked without a search.
     */
    private final Slot[] tail = new Slot[MAX_UP + 1];
    /** Commit lock (volatile for readers): slots linked in the skip list. */
    private volatile long linked;
    /**
     * The hash index (see the class comment for its protocol); a power-of-two length. Null for
     * index storage, which finds keys in the skip list.
     */
    private volatile long[] cells;
    /**
     * The slots of the hash index by number, in pages of {@code 1 << PAGE_BITS}; number 0 is never
     * used. Written under the commit lock: a new outer array is published through this field,
     * a new page and a slot through release stores (see the class comment).
     */
    private volatile Slot[][] pages;
    /** Commit lock: the next number never handed out. */
    private int nextNumber = 1;
    /** Commit lock: numbers of removed slots, to hand out again ({@link #freeCount} of them). */
    private int[] freeNumbers = new int[0];
    private int freeCount;
    /** Commit lock: cells holding a slot, and cells holding a slot or a tombstone. */
    private int liveCells;
    private int usedCells;

    /**
     * Keys this table holds a slot for: live rows plus rows deleted but not yet pruned. An estimate
     * for the planner; read without the commit lock.
     */
    long slotCount() {
        return linked;
    }

    /** Next hidden row id for tables without a primary key; ids are never reused. */
    final AtomicLong nextRowId = new AtomicLong(1);
    /** Timestamp of the newest commit that wrote to this table. Written under the commit lock. */
    volatile long lastWriteTs;
    /**
     * Timestamp of the newest commit that gave an existing key a new version or wrote a deletion:
     * only such commits leave anything for {@link #prune} (a key inserted new has one version).
     * Written under the commit lock.
     */
    volatile long lastReplaceTs;
    /**
     * Removal bound ({@code removeUpTo}, at most the horizon) of the last complete {@link #prune}
     * pass (the row store's vacuum lock). While no commit after it has replaced or deleted a row of
     * the table, another pass could not reclaim anything (an insert-only load is never walked).
     */
    long prunedUpTo = -1;

    VersionedTable(long id) {
        this(id, 0);
    }

    VersionedTable(long id, int expectedKeys) {
        this(id, new long[cellsFor(expectedKeys)]);
    }

    private VersionedTable(long id, long[] cells) {
        this.id = id;
        this.cells = cells;
        this.pages = cells == null ? null : new Slot[1][];
        Arrays.fill(tail, first);
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
        long[] c = cells;
        if (c == null) {
            Slot s = before(key, null).succ(0);
            return s != null && Arrays.equals(s.key, key) ? s : null;
        }
        int h = hash(key);
        int mask = c.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            long cell = (long) HASH_CELL.getAcquire(c, i);
            if (cell == 0) {
                return null;
            }
            if ((int) (cell >>> 32) == h && cell != TOMBSTONE) {
                Slot s = slotNumbered((int) cell);
                if (s != null && Arrays.equals(s.key, key)) {
                    return s;
                }
            }
        }
    }

    /** The slot numbered {@code n}, or null if it was removed meanwhile. Lock-free; read after the cell naming it. */
    private Slot slotNumbered(int n) {
        Slot[] page = (Slot[]) PAGE.getAcquire(pages, n >>> PAGE_BITS);
        return (Slot) CELL.getAcquire(page, n & ((1 << PAGE_BITS) - 1));
    }

    /** The hash cell of a slot numbered {@code number} whose key hashes to {@code h}. */
    private static long cell(int h, int number) {
        return (long) h << 32 | (number & 0xFFFF_FFFFL);
    }

    // ---------------------------------------------------------------- skip list

    /**
     * The last slot whose key is below {@code key} ({@link #first} if none), searching from the
     * top; with {@code into} not null, also the last such slot at each level from
     * {@link #topLevel} down. Lock-free (the writer passes {@link #preds}).
     */
    private Slot before(byte[] key, Slot[] into) {
        Slot x = first;
        for (int level = topLevel; level >= 0; level--) {
            for (Slot n = x.succ(level); n != null && KEY_ORDER.compare(n.key, key) < 0; n = x.succ(level)) {
                x = n;
            }
            if (into != null) {
                into[level] = x;
            }
        }
        return x;
    }

    /** Links {@code s}, whose key has no slot, into the skip list. Commit lock held (or recovery). */
    private void link(Slot s) {
        int top = s.levels();
        if (topLevel < top) {
            topLevel = top; // readers may start this high at once: the head's new levels are still empty
        }
        Slot last = tail[0];
        Slot[] at = preds;
        if (last == first || KEY_ORDER.compare(last.key, s.key) < 0) {
            at = tail; // above every key: the last slot of each level precedes it
        } else {
            before(s.key, preds);
        }
        for (int level = 0; level <= top; level++) {
            s.succ(level, at[level].succ(level));
        }
        for (int level = 0; level <= top; level++) {
            at[level].succ(level, s);
        }
        for (int level = 0; level <= top; level++) {
            if (s.succ(level) == null) {
                tail[level] = s;
            }
        }
        linked = linked + 1;
    }

    /** Unlinks {@code s} if it is linked (a later slot of the same key is left alone). Commit lock held (or recovery). */
    private void unlink(Slot s) {
        before(s.key, preds);
        for (int level = Math.min(s.levels(), topLevel); level >= 0; level--) {
            if (preds[level].succ(level) == s) {
                preds[level].succ(level, s.succ(level));
                if (tail[level] == s) {
                    tail[level] = preds[level];
                }
                if (level == 0) {
                    linked = linked - 1;
                }
            }
        }
    }

    /** The slots with keys in {@code [from, to)} (null bounds are open), in key order, read lazily. Lock-free. */
    Iterable<Slot> range(byte[] from, byte[] to) {
        return () -> new Iterator<>() {
            private Slot n = (from == null ? first : before(from, null)).succ(0);

            @Override
            public boolean hasNext() {
                return n != null && (to == null || KEY_ORDER.compare(n.key, to) < 0);
            }

            @Override
            public Slot next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Slot r = n;
                n = r.succ(0);
                return r;
            }
        };
    }

    Iterable<Slot> slots() {
        return range(null, null);
    }

    // ---------------------------------------------------------------- hash index

    /** Adds a slot whose key has none to the hash index. Commit lock held (or recovery). */
    private void hashInsert(Slot s) {
        long[] c = cells;
        if ((usedCells + 1) * 4L > c.length * 3L) {
            c = grow(liveCells + 1);
        }
        number(s);
        int h = hash(s.key);
        int mask = c.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            long at = c[i]; // plain read: only this thread writes cells
            if (at == 0 || at == TOMBSTONE) {
                if (at == 0) {
                    usedCells++;
                }
                liveCells++;
                HASH_CELL.setRelease(c, i, cell(h, s.number)); // after the page entry: see number()
                return;
            }
        }
    }

    /** Gives {@code s} a number and puts it in its page (release). Commit lock held (or recovery). */
    private void number(Slot s) {
        int n = freeCount > 0 ? freeNumbers[--freeCount] : nextNumber++;
        if (n < 0) {
            throw new IllegalStateException("a table of 2^31 keys is too large for one hash index");
        }
        int p = n >>> PAGE_BITS;
        Slot[][] outer = pages;
        if (p >= outer.length) {
            outer = Arrays.copyOf(outer, Math.max(p + 1, outer.length * 2));
            pages = outer; // volatile: the pages copied are the same arrays, so slots stay where readers look
        }
        Slot[] page = outer[p];
        if (page == null) {
            page = new Slot[1 << PAGE_BITS];
            PAGE.setRelease(outer, p, page);
        }
        s.number = n;
        CELL.setRelease(page, n & ((1 << PAGE_BITS) - 1), s);
    }

    /** Takes slot {@code s} out of the hash index if it is there, and frees its number. Commit lock held (or recovery). */
    private void hashRemove(Slot s) {
        long[] c = cells;
        int mask = c.length - 1;
        long want = cell(hash(s.key), s.number);
        for (int i = (int) (want >>> 32) & mask; ; i = (i + 1) & mask) {
            long at = c[i];
            if (at == 0) {
                return;
            }
            if (at == want) {
                HASH_CELL.setRelease(c, i, TOMBSTONE);
                liveCells--;
                int n = s.number;
                CELL.setRelease(pages[n >>> PAGE_BITS], n & ((1 << PAGE_BITS) - 1), null);
                if (freeCount == freeNumbers.length) {
                    freeNumbers = Arrays.copyOf(freeNumbers, Math.max(16, freeCount * 2));
                }
                freeNumbers[freeCount++] = n;
                return;
            }
        }
    }

    /**
     * Publishes a new cell array sized for {@code keys} slots holding every live slot (tombstones
     * are dropped), filled before publication; returns it. Commit lock held (or recovery).
     */
    private long[] grow(int keys) {
        long[] old = cells;
        long[] next = new long[cellsFor(keys)];
        int mask = next.length - 1;
        int n = 0;
        for (long cell : old) {
            if (cell != 0 && cell != TOMBSTONE) {
                int i = (int) (cell >>> 32) & mask;
                while (next[i] != 0) {
                    i = (i + 1) & mask;
                }
                next[i] = cell;
                n++;
            }
        }
        liveCells = n;
        usedCells = n;
        cells = next; // volatile: publishes the filled array
        return next;
    }

    // ---------------------------------------------------------------- writes

    /**
     * Makes {@code row} (null: a deletion) at {@code ts} the newest version of {@code key} and
     * returns that version. Commit lock held (or recovery).
     */
    RowVersion install(byte[] key, long ts, byte[] row) {
        return install(slot(key), key, ts, row);
    }

    /**
     * Makes {@code row} (null: a deletion) at {@code ts} the newest version of {@code key}, whose
     * slot the caller has just looked up under the same hold of the commit lock ({@code slot},
     * null if the key had none), in front of the slot's versions; returns the new version (for a
     * new key, the new slot).
     */
    RowVersion install(Slot slot, byte[] key, long ts, byte[] row) {
        if (lastWriteTs != ts) {
            lastWriteTs = ts; // a volatile store (a fence) once per commit, not once per row of it
        }
        if ((slot != null || row == null) && lastReplaceTs != ts) {
            lastReplaceTs = ts;
        }
        if (slot == null) {
            Slot s = new Slot(key, ts, row);
            if (cells != null) {
                hashInsert(s);
            }
            link(s);
            return s;
        }
        RowVersion v = new RowVersion(ts, row, slot.head);
        slot.head = v;
        return v;
    }

    /** Takes {@code s} out of both indexes. Commit lock held (or recovery). */
    private void forget(Slot s) {
        if (cells != null) {
            hashRemove(s);
        }
        unlink(s);
    }

    /**
     * Rows to {@link #load}: keys and rows side by side, gathered by the one thread recovering the
     * store or building an index.
     */
    static final class Loaded {
        private byte[][] keys = new byte[16][];
        private byte[][] rows = new byte[16][];
        private int size;
        /**
         * Whether a key may have been added more than once (a checkpoint's deltas): the last
         * one added wins, and a null row is a deletion.
         */
        boolean mayRepeat;

        void add(byte[] key, byte[] row) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                rows = Arrays.copyOf(rows, size * 2);
            }
            keys[size] = key;
            rows[size++] = row;
        }

        int size() {
            return size;
        }

        byte[] key(int i) {
            return keys[i];
        }
    }

    /**
     * Adds rows loaded from a checkpoint (or an index being built), each a version committed at
     * {@code ts}. They are sorted by key first and their slots made in that order, so into an empty
     * table they are appended at the tail of each level without a search, and neighbouring keys'
     * slots lie near each other in memory (a scan in key order then walks memory in order).
     * Recovery or commit lock.
     */
    void load(Loaded loaded, long ts) {
        int n = loaded.size;
        int[] order = KeySort.order(loaded.keys, n);
        List<Slot> slots = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int at = order[i];
            if (loaded.mayRepeat) {
                // The sort is stable: of equal keys, the last one added comes last and wins.
                if (i + 1 < n && Arrays.equals(loaded.keys[at], loaded.keys[order[i + 1]])) {
                    continue;
                }
                if (loaded.rows[at] == null) {
                    continue;
                }
            }
            slots.add(new Slot(loaded.keys[at], ts, loaded.rows[at]));
        }
        if (cells != null && (usedCells + slots.size()) * 4L > cells.length * 3L) {
            grow(liveCells + slots.size());
        }
        if (linked > 0) {
            for (Slot s : slots) {
                if (cells != null) {
                    hashInsert(s);
                }
                link(s);
            }
            return;
        }
        for (Slot s : slots) {
            if (cells != null) {
                hashInsert(s);
            }
            int top = s.levels();
            if (topLevel < top) {
                topLevel = top;
            }
            for (int level = 0; level <= top; level++) {
                tail[level].succ(level, s);
                tail[level] = s;
            }
        }
        linked = slots.size();
    }

    /**
     * Prunes every chain to what snapshots at or after {@code horizon} can see, and returns the
     * slots whose newest version is a deletion at or before {@code removeUpTo} (at most the
     * horizon; lower while a checkpoint has yet to record the deletion), for {@link #removeIfDead}
     * under the commit lock. Pruning itself is safe next to readers and committers.
     */
    List<Slot> prune(long horizon, long removeUpTo) {
        List<Slot> dead = new ArrayList<>();
        if (lastReplaceTs <= prunedUpTo) {
            return dead;
        }
        prunedUpTo = removeUpTo;
        for (Slot s : slots()) {
            RowVersion head = s.head;
            RowVersion v = RowVersion.prune(head, horizon);
            if (v == head && head.row == null && head.ts <= removeUpTo) {
                dead.add(s);
            }
        }
        return dead;
    }

    /**
     * Removes a slot whose newest version is a deletion at or before {@code removeUpTo} (which no
     * snapshot can see past). Commit lock held.
     */
    boolean removeIfDead(Slot s, long removeUpTo) {
        RowVersion head = s.head;
        if (head.row != null || head.ts > removeUpTo) {
            return false;
        }
        forget(s);
        return true;
    }
}
