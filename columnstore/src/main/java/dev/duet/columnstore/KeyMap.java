package dev.duet.columnstore;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.types.KeyHash;
import java.util.Arrays;

/**
 * The key map of one table: encoded primary key (or row id) to the position of its live row
 * ({@link ColumnTable#position}). Open addressing with linear probing over one primitive array, so
 * that {@link #put} and {@link #remove} allocate nothing per row (the boxed map it replaces cost a
 * wrapper, a boxed position and an entry per row, and about a fifth of the sync's time). A slot is
 * three adjacent longs (position, hash and length, key word), so a probe touches one cache line
 * where four parallel arrays cost four misses. Keys of up to 8 bytes (BIGINT, INTEGER and row-id
 * keys) are stored in their slot; longer ones are copied into an arena of byte chunks, compacted
 * when more than half of it belongs to removed keys. Removal shifts the following entries back (no
 * tombstones), so lookups never slow down with deletes. About 36 bytes per key at the highest
 * load, plus the bytes of keys longer than 8.
 *
 * <p>Growth is incremental: doubling a map of 8M keys in one go took the sync thread 300-500 ms,
 * and every commit arriving meanwhile waited that long to reach the column store (the tail of the
 * sync lag). Instead the full table becomes the <em>old</em> table, a table twice as large becomes
 * the current one, and every {@link #put} and {@link #remove} first moves the next
 * {@link #MIGRATE_PER_OP} slots of the old table into the new one. A key lives in exactly one of
 * the two; new keys always go into the new table; lookups try the new table, then the old. An old
 * slot whose entry has moved (or was removed) is marked {@link #MOVED}, which probes step over,
 * so the old table's probe runs stay intact while it empties. The old table is dropped once its
 * last slot has moved, long before the new table fills up (that takes puts of a third of its
 * capacity; the move takes one operation per sixteen old slots, a thirty-second of it).
 *
 * <p>Not thread-safe: only the sync thread uses it.
 */
final class KeyMap {
    /** What {@link #put} and {@link #remove} return for a key that was absent; positions are never negative. */
    static final long NONE = -1;
    /** The position of an old-table slot whose entry moved to the new table or was removed: probes go on past it. */
    private static final long MOVED = -2;
    /** Longs per slot: position, {@code hash << 32 | length}, key word (the key or its arena address). */
    private static final int STRIDE = 3;
    /** Old-table slots moved per {@link #put} or {@link #remove} while the map grows. */
    static final int MIGRATE_PER_OP = 16;
    /** The largest capacity in slots: {@code STRIDE * capacity} must be a valid array length. */
    private static final int MAX_CAPACITY = 1 << 29;
    private static final int MAX_CHUNK = 1 << 20;
    /** Low bits of a key's hash taken from its last byte (see {@link KeyHash}). */
    private static final int RUN_BITS = 2;

    /** The current table: {@code STRIDE} longs per slot; position {@link #NONE} marks an empty slot. */
    private long[] table;
    private int mask;
    private int growAt;
    /** The table being emptied into {@link #table} while the map grows; null otherwise. */
    private long[] old;
    private int oldMask;
    /** The next slot of {@link #old} to move. */
    private int migrated;
    /** Live keys in both tables. */
    private int size;

    /** Keys longer than 8 bytes: chunk index << 32 | offset. Small keys fill chunk {@code current}; a key larger than a chunk gets its own. */
    private byte[][] chunks = new byte[0][];
    private int chunkCount;
    private int current = -1;
    private int fill;
    private long arenaBytes;
    private long garbageBytes;

    KeyMap() {
        allocate(16);
    }

    /**
     * A map with room for {@code expected} keys before it first grows: one built from a table's
     * existing rows ({@code ColumnStore.buildKeys}) would otherwise double (and migrate) about
     * twenty times on the way to millions of keys.
     */
    KeyMap(long expected) {
        long capacity = 16;
        while (capacity / 3 * 2 < expected && capacity < MAX_CAPACITY) {
            capacity <<= 1;
        }
        allocate((int) capacity);
    }

    int size() {
        return size;
    }

    /** Whether the map is moving entries into a larger table (tests). */
    boolean growing() {
        return old != null;
    }

    /** Maps {@code key} to {@code position}; returns the key's previous position, or {@link #NONE}. */
    long put(byte[] key, long position) {
        return put(key, 0, key.length, position);
    }

    /**
     * As {@link #put(byte[], long)} for the key in {@code buf[off, off + len)}: a key packed in a
     * larger buffer (a WAL record) is copied into the map without a per-key array.
     */
    long put(byte[] buf, int off, int len, long position) {
        migrate();
        int h = hash(buf, off, len);
        int i = find(table, mask, buf, off, len, h);
        if (i >= 0) {
            long previous = table[i * STRIDE];
            table[i * STRIDE] = position;
            return previous;
        }
        i = -i - 1;
        if (old != null) {
            int j = find(old, oldMask, buf, off, len, h);
            if (j >= 0) {
                // the key is still in the old table: move it now, with its new position
                long previous = old[j * STRIDE];
                set(table, i, position, old[j * STRIDE + 1], old[j * STRIDE + 2]);
                old[j * STRIDE] = MOVED;
                return previous;
            }
        }
        set(table, i, position, meta(h, len), len <= 8 ? pack(buf, off, len) : store(buf, off, len));
        if (++size > growAt) {
            grow();
        }
        return NONE;
    }

    /** Removes {@code key}; returns its position, or {@link #NONE} if it was absent. */
    long remove(byte[] key) {
        migrate();
        int h = hash(key, 0, key.length);
        long previous;
        int i = find(table, mask, key, 0, key.length, h);
        if (i >= 0) {
            previous = table[i * STRIDE];
            deleteSlot(i);
        } else {
            int j = old == null ? -1 : find(old, oldMask, key, 0, key.length, h);
            if (j < 0) {
                return NONE;
            }
            previous = old[j * STRIDE];
            old[j * STRIDE] = MOVED;
        }
        if (key.length > 8) {
            garbageBytes += key.length;
        }
        size--;
        if (old == null && garbageBytes > MAX_CHUNK && garbageBytes * 2 > arenaBytes) {
            compactArena();
        }
        return previous;
    }

    /** The position of {@code key}, or {@link #NONE}. */
    long get(byte[] key) {
        int h = hash(key, 0, key.length);
        int i = find(table, mask, key, 0, key.length, h);
        if (i >= 0) {
            return table[i * STRIDE];
        }
        int j = old == null ? -1 : find(old, oldMask, key, 0, key.length, h);
        return j < 0 ? NONE : old[j * STRIDE];
    }

    /**
     * The slot of {@code t} holding the key {@code buf[off, off + len)}, or {@code -(the first
     * empty slot of its probe run) - 1}. {@link #MOVED} slots (old table only) never match.
     */
    private int find(long[] t, int m, byte[] buf, int off, int len, int h) {
        long meta = meta(h, len);
        int i = h & m;
        while (true) {
            int at = i * STRIDE;
            long position = t[at];
            if (position == NONE) {
                return -i - 1;
            }
            if (t[at + 1] == meta && position != MOVED && sameKey(t[at + 2], buf, off, len)) {
                return i;
            }
            i = (i + 1) & m;
        }
    }

    private boolean sameKey(long word, byte[] buf, int off, int len) {
        if (len <= 8) {
            return word == pack(buf, off, len);
        }
        int at = (int) word;
        return Arrays.equals(chunks[(int) (word >>> 32)], at, at + len, buf, off, off + len);
    }

    /** Empties slot {@code i} of the current table, moving back each following entry of its probe run whose home slot allows it. */
    private void deleteSlot(int i) {
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            int at = j * STRIDE;
            if (table[at] == NONE) {
                break;
            }
            int home = (int) (table[at + 1] >>> 32) & mask;
            // j may move to the hole if the hole lies on its probe path, i.e. cyclically in [home, j)
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                System.arraycopy(table, at, table, hole * STRIDE, STRIDE);
                hole = j;
            }
        }
        table[hole * STRIDE] = NONE;
    }

    private static void set(long[] t, int slot, long position, long meta, long word) {
        int at = slot * STRIDE;
        t[at] = position;
        t[at + 1] = meta;
        t[at + 2] = word;
    }

    private static long meta(int hash, int len) {
        return ((long) hash << 32) | (len & 0xFFFFFFFFL);
    }

    private void allocate(int capacity) {
        table = new long[capacity * STRIDE];
        for (int at = 0; at < table.length; at += STRIDE) {
            table[at] = NONE;
        }
        mask = capacity - 1;
        growAt = capacity / 3 * 2;
    }

    /** Starts moving into a table twice as large (finishing a previous move first, if one is still running). */
    private void grow() {
        while (old != null) {
            migrate();
        }
        int capacity = mask + 1;
        if (capacity >= MAX_CAPACITY) {
            throw DuetException.of(SqlState.OUT_OF_MEMORY, "a column-store key map cannot hold more than %d keys", growAt);
        }
        old = table;
        oldMask = mask;
        migrated = 0;
        allocate(capacity * 2);
    }

    /** Moves the next {@link #MIGRATE_PER_OP} slots of the old table, if the map is growing. */
    private void migrate() {
        migrate(MIGRATE_PER_OP);
    }

    /**
     * Moves the next {@code slots} slots of the old table, if the map is growing: the owner calls
     * this when idle, so that a map whose writes stopped halfway through a growth does not keep
     * its old table (up to half the new one) for good.
     */
    void migrate(int slots) {
        if (old == null) {
            return;
        }
        int end = (int) Math.min(oldMask + 1L, (long) migrated + slots);
        for (int s = migrated; s < end; s++) {
            int from = s * STRIDE;
            long position = old[from];
            if (position < 0) {
                continue; // empty, or moved already
            }
            // the key is in no other slot of either table: the first empty slot of its run takes it
            int i = (int) (old[from + 1] >>> 32) & mask;
            while (table[i * STRIDE] != NONE) {
                i = (i + 1) & mask;
            }
            System.arraycopy(old, from, table, i * STRIDE, STRIDE);
            old[from] = MOVED;
        }
        migrated = end;
        if (end > oldMask) {
            old = null;
        }
    }

    /** Copies {@code n} bytes of {@code src} from {@code off} (a key longer than 8 bytes) into the arena; returns their address. */
    private long store(byte[] src, int off, int n) {
        arenaBytes += n;
        if (n > MAX_CHUNK) {
            // a chunk of its own; small keys keep filling the current one
            return (long) addChunk(Arrays.copyOfRange(src, off, off + n)) << 32;
        }
        if (current < 0 || fill + n > chunks[current].length) {
            // chunks grow with the arena (a table with few long keys stays small), up to MAX_CHUNK
            current = addChunk(new byte[(int) Math.max(n, Math.min(MAX_CHUNK, Math.max(4096, arenaBytes)))]);
            fill = 0;
        }
        System.arraycopy(src, off, chunks[current], fill, n);
        long address = ((long) current << 32) | fill;
        fill += n;
        return address;
    }

    private int addChunk(byte[] chunk) {
        if (chunkCount == chunks.length) {
            chunks = Arrays.copyOf(chunks, Math.max(4, chunkCount * 2));
        }
        chunks[chunkCount] = chunk;
        return chunkCount++;
    }

    /** Rewrites the arena with the live long keys only; never while the map grows (every key is in {@link #table}). */
    private void compactArena() {
        byte[][] previous = chunks;
        chunks = new byte[0][];
        chunkCount = 0;
        current = -1;
        arenaBytes = 0;
        garbageBytes = 0;
        for (int at = 0; at < table.length; at += STRIDE) {
            int len = (int) table[at + 1];
            if (table[at] != NONE && len > 8) {
                long address = table[at + 2];
                table[at + 2] = store(previous[(int) (address >>> 32)], (int) address, len);
            }
        }
    }

    /** The bytes of a key of at most 8 bytes in a long (its length, stored beside it, tells {0} from {0, 0}). */
    private static long pack(byte[] buf, int off, int len) {
        long w = 0;
        for (int i = off; i < off + len; i++) {
            w = (w << 8) | (buf[i] & 0xFF);
        }
        return w;
    }

    /** {@link KeyHash}: ascending keys take neighbouring slots (a cache miss per run of four puts, not per put). */
    private static int hash(byte[] buf, int off, int len) {
        return KeyHash.of(buf, off, len, RUN_BITS);
    }
}
