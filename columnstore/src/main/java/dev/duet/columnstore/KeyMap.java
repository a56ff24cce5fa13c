package dev.duet.columnstore;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The key map of one table: encoded primary key (or row id) to the position of its live row
 * ({@link ColumnTable#position}). Open addressing with linear probing over primitive arrays, so
 * that {@link #put} and {@link #remove} allocate nothing per row (the boxed map it replaces cost a
 * wrapper, a boxed position and an entry per row, and about a fifth of the sync's time). Keys of up
 * to 8 bytes (BIGINT, INTEGER and row-id keys) are stored in their slot; longer ones are copied
 * into an arena of byte chunks, compacted when more than half of it belongs to removed keys.
 * Removal shifts the following entries back (no tombstones), so lookups never slow down with
 * deletes. About 36 bytes per key at the highest load, plus the bytes of keys longer than 8.
 *
 * <p>Not thread-safe: only the sync thread uses it.
 */
final class KeyMap {
    /** What {@link #put} and {@link #remove} return for a key that was absent; positions are never negative. */
    static final long NONE = -1;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MAX_CHUNK = 1 << 20;

    /** Per slot: the position (NONE: empty slot), the key's hash and length, and the key (length ≤ 8) or its arena address. */
    private long[] positions;
    private int[] hashes;
    private int[] lengths;
    private long[] words;
    private int mask;
    private int size;
    private int growAt;

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

    int size() {
        return size;
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
        int h = hash(buf, off, len);
        int i = find(buf, off, len, h);
        if (i >= 0) {
            long old = positions[i];
            positions[i] = position;
            return old;
        }
        i = -i - 1;
        positions[i] = position;
        hashes[i] = h;
        lengths[i] = len;
        words[i] = len <= 8 ? pack(buf, off, len) : store(buf, off, len);
        if (++size > growAt) {
            resize(positions.length * 2);
        }
        return NONE;
    }

    /** Removes {@code key}; returns its position, or {@link #NONE} if it was absent. */
    long remove(byte[] key) {
        int i = find(key, 0, key.length, hash(key, 0, key.length));
        if (i < 0) {
            return NONE;
        }
        long old = positions[i];
        if (lengths[i] > 8) {
            garbageBytes += lengths[i];
        }
        deleteSlot(i);
        size--;
        if (garbageBytes > MAX_CHUNK && garbageBytes * 2 > arenaBytes) {
            compactArena();
        }
        return old;
    }

    /** The position of {@code key}, or {@link #NONE}. */
    long get(byte[] key) {
        int i = find(key, 0, key.length, hash(key, 0, key.length));
        return i < 0 ? NONE : positions[i];
    }

    /** The slot holding the key {@code buf[off, off + len)}, or {@code -(slot where it would go) - 1}. */
    private int find(byte[] buf, int off, int len, int h) {
        int i = h & mask;
        while (true) {
            if (positions[i] == NONE) {
                return -i - 1;
            }
            if (hashes[i] == h && lengths[i] == len && sameKey(i, buf, off, len)) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    private boolean sameKey(int slot, byte[] buf, int off, int len) {
        if (len <= 8) {
            return words[slot] == pack(buf, off, len);
        }
        long address = words[slot];
        int at = (int) address;
        return Arrays.equals(chunks[(int) (address >>> 32)], at, at + len, buf, off, off + len);
    }

    /** Empties slot {@code i}, moving back each following entry of its probe run whose home slot allows it. */
    private void deleteSlot(int i) {
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (positions[j] == NONE) {
                break;
            }
            int home = hashes[j] & mask;
            // j may move to the hole if the hole lies on its probe path, i.e. cyclically in [home, j)
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                positions[hole] = positions[j];
                hashes[hole] = hashes[j];
                lengths[hole] = lengths[j];
                words[hole] = words[j];
                hole = j;
            }
        }
        positions[hole] = NONE;
    }

    private void allocate(int capacity) {
        positions = new long[capacity];
        Arrays.fill(positions, NONE);
        hashes = new int[capacity];
        lengths = new int[capacity];
        words = new long[capacity];
        mask = capacity - 1;
        growAt = capacity / 3 * 2;
    }

    private void resize(int capacity) {
        long[] oldPositions = positions;
        int[] oldHashes = hashes;
        int[] oldLengths = lengths;
        long[] oldWords = words;
        allocate(capacity);
        for (int s = 0; s < oldPositions.length; s++) {
            if (oldPositions[s] == NONE) {
                continue;
            }
            int i = oldHashes[s] & mask;
            while (positions[i] != NONE) {
                i = (i + 1) & mask;
            }
            positions[i] = oldPositions[s];
            hashes[i] = oldHashes[s];
            lengths[i] = oldLengths[s];
            words[i] = oldWords[s];
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

    /** Rewrites the arena with the live long keys only. */
    private void compactArena() {
        byte[][] old = chunks;
        chunks = new byte[0][];
        chunkCount = 0;
        current = -1;
        arenaBytes = 0;
        garbageBytes = 0;
        for (int s = 0; s < positions.length; s++) {
            if (positions[s] != NONE && lengths[s] > 8) {
                long address = words[s];
                words[s] = store(old[(int) (address >>> 32)], (int) address, lengths[s]);
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

    private static int hash(byte[] buf, int off, int len) {
        long h = len * 0x9E3779B97F4A7C15L;
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            h = (h ^ (long) LONG.get(buf, i)) * 0xFF51AFD7ED558CCDL;
            h ^= h >>> 29;
        }
        long tail = 0;
        for (; i < end; i++) {
            tail = (tail << 8) | (buf[i] & 0xFF);
        }
        h = (h ^ tail) * 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h;
    }
}
