package dev.duet.planner.exec.ops;

import dev.duet.core.exec.HeapReservation;
import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.types.DataType;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;

/**
 * Maps the key values of rows to dense group ids (0, 1, 2 ... in first-seen order): an
 * open-addressing hash table (linear probing) over primitive arrays.
 *
 * <p>Every key column becomes one or two 64-bit <em>slots</em> per row, read straight from the
 * vector's buffers a column at a time: BOOLEAN, SMALLINT, INTEGER, DATE and REAL take the low 32
 * bits (NULL is {@code 1L << 32}, outside every value); BIGINT, TIMESTAMP and DOUBLE take a whole
 * slot and DECIMAL two, their NULLs marked in a trailing null-mask slot.
 *
 * <p>VARCHAR and BYTEA keys start <em>packed</em>: while every string seen is at most
 * {@link #SHORT} bytes, a string key is one slot holding its bytes (little-endian) with a marker
 * bit just above them ({@code 1L << (8 * length)}, so that the length is implied and {@code 0} is
 * NULL). Low-cardinality codes and flags (TPC-H's return flags, ship modes, order statuses) thus
 * cost one long per key: one hash round and one comparison. The first batch with a longer
 * string re-lays the whole table out <em>wide</em> ({@link #widen()}: every group's key
 * rewritten, the hash table rebuilt, once): each string key then takes three slots: its first 8
 * bytes, its next 8 bytes (or, for strings longer than {@link #INLINE} bytes, a 64-bit hash of
 * all of them) and its length (-1 for NULL). Strings up to 16 bytes are thus compared and
 * written back from the slots alone; longer ones are also kept in a byte arena and compared
 * byte for byte once their slots match. Floating-point keys
 * are normalised (-0.0 is 0.0, one NaN), so that SQL-equal values group together. A group's
 * slots, followed by the arena offsets of its long strings, are stored row-major in one
 * {@code long[]}, so that checking a candidate group touches one place; the table entries pack
 * 32 bits of the hash with the group id, so most mismatches are rejected without touching the
 * group at all. A batch is probed in passes ({@link #probeBatch}): each row's home entry, then
 * the candidate groups' keys compared a slot at a time, then the few rows left one by one, so
 * that the usual row costs no mispredicted branch. Into a large table (beyond the caches) on
 * input clustered by the key (at least half the rows of the batch before equal to their
 * predecessor, as line items by order), rows are probed one by one instead, and a row whose key
 * equals the previous row's takes that row's group without probing.
 *
 * <p><em>Small key domains</em> skip hashing altogether: while every key column is one narrow slot
 * (BOOLEAN, SMALLINT, INTEGER, DATE, or a packed string) and the keys seen span at most
 * {@link #DIRECT_ENTRIES} combinations (the product over the columns of their value ranges, plus
 * one code for NULL each), a key is mapped straight to its group through a {@link #direct} array
 * indexed by the combination: no hash, no comparison. Such are TPC-H's flags and statuses (Q1's two
 * one-byte strings span about 18 × 14 codes), small integer codes and dates of a few years. The hash
 * table is still kept up to date (each new group is inserted into it as well), so that a batch whose
 * keys leave the range either widens the direct array (rebuilt from the groups' keys) or, past the
 * limit, falls back to hashing for good with nothing to rebuild.
 *
 * <p>An optional leading <em>prefix</em> slot taken from an {@code int[]} (a group id) makes the
 * same table serve DISTINCT aggregates, keyed by (group, value).
 *
 * <p>All arrays are charged to a {@link HeapReservation}. No object is allocated per row.
 */
final class GroupHashTable {
    private static final long NARROW_NULL = 1L << 32;
    private static final long SEED = 0x27D4EB2F165667C5L;
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
    private static final int INITIAL_GROUPS = 256;
    /** Longest string kept in its slots alone. */
    static final int INLINE = 16;
    /** Longest string of a packed (one-slot) string key: its bytes and the marker bit fit 64 bits. */
    static final int SHORT = 7;

    private final DataType.Kind[] kinds;
    private final boolean prefixed;
    /**
     * Whether string keys are packed into one slot each (every string seen so far is at most
     * {@link #SHORT} bytes); the layout fields below follow it. Only ever goes from true to false.
     */
    private boolean packed;
    /** Slots per group compared for equality. */
    private int width;
    /** Longs per group: the compared slots, then (wide layout) the arena offset of each string key. */
    private int stride;
    /** First slot of each key column. */
    private final int[] slot;
    /** For BIGINT/TIMESTAMP/DOUBLE/DECIMAL keys: the bit in the null mask; -1 for the others. */
    private final int[] maskBit;
    /** First null-mask slot; -1 if no key needs one. */
    private int maskSlot;
    private final int maskSlots;
    /** For VARCHAR/BYTEA keys: index into the arena bookkeeping; -1 for the others. */
    private final int[] var;
    private final int[] varColumn;
    private final HeapReservation memory;

    private int groupCount;
    private int capacity;
    private long[] keys;
    private long[] groupHash;
    private byte[] arena = new byte[0];
    private int arenaUsed;

    private long[] table;
    private int tableMask;
    private int resizeAt;

    /**
     * Whether at least half the last batch's rows had the key of the row before (input clustered
     * or sorted by the key); see {@link #probeClustered}.
     */
    private boolean clustered = true;
    /** Tables of more entries than this miss the processor's caches; smaller ones are probed a batch at a time. */
    private static final int SMALL_TABLE = 1 << 15;

    /** Most entries of the {@link #direct} array: 256 KiB of group ids. */
    static final int DIRECT_ENTRIES = 1 << 16;
    /** How often the direct array may be rebuilt for keys out of its range before hashing takes over. */
    private static final int DIRECT_REBUILDS = 16;
    /**
     * Whether keys may still be looked up through {@link #direct}: every key column is one narrow
     * slot and no batch has yet taken the range beyond {@link #DIRECT_ENTRIES}. Only ever goes
     * from true to false.
     */
    private boolean directPossible;
    /** Group id + 1 by combined key code (0: no group yet); null until the first batch. */
    private int[] direct;
    /** Per key column: the slot value of NULL (code 0). */
    private final long[] directNull;
    /** Per key column: the smallest non-NULL slot value covered (code 1). */
    private final long[] directBase;
    /** Per key column: how many non-NULL slot values are covered, codes {@code 1..directSpan}. */
    private final long[] directSpan;
    /** Per key column: the factor of its code in the combined code. */
    private final int[] directMult;
    private int directRebuilds;
    /** Scratch of {@link #directCovers}: per key column, a batch's smallest and largest non-NULL slot values. */
    private final long[] directLo;
    private final long[] directHi;
    /** Per probed row of {@link #findDirect}: the combined code. */
    private int[] rowCode;

    /**
     * Whether the first key column is an integer (SMALLINT, INTEGER, DATE, BIGINT, TIMESTAMP): its
     * low {@link #NEIGHBOUR_BITS} bits then replace the low bits of the hash, the rest being hashed
     * from the value without them, so that integers differing only in those bits (ascending order
     * keys, consecutive dates) take neighbouring table entries: a large table then costs one cache
     * miss per run of four keys rather than per key. Keys sharing all other bits are only four, so
     * linear probing is not hurt.
     */
    private final boolean neighbours;
    private static final int NEIGHBOUR_BITS = 2;
    private static final long NEIGHBOUR_MASK = (1L << NEIGHBOUR_BITS) - 1;

    private long[][] rowSlots;
    private long[] rowHash;
    /** Per probed row of {@link #probeBatch}: zero when the candidate group's key is the row's. */
    private long[] rowDiff;
    private int scratchRows;
    private final long[] batchOffsets;
    private final long[] batchData;
    private final long[] batchValidity;
    private final boolean[] batchNulls;

    /**
     * A table keyed by columns of {@code keyTypes} (preceded by an int prefix if
     * {@code prefixed}); arrays are charged to {@code memory}.
     */
    GroupHashTable(List<DataType> keyTypes, boolean prefixed, HeapReservation memory) {
        this.memory = memory;
        this.prefixed = prefixed;
        int n = keyTypes.size();
        kinds = new DataType.Kind[n];
        slot = new int[n];
        maskBit = new int[n];
        var = new int[n];
        int wide = 0;
        int vars = 0;
        for (int c = 0; c < n; c++) {
            DataType.Kind kind = keyTypes.get(c).kind();
            kinds[c] = kind;
            maskBit[c] = -1;
            var[c] = -1;
            switch (kind) {
                case BIGINT, TIMESTAMP, DOUBLE, DECIMAL -> maskBit[c] = wide++;
                case VARCHAR, BYTEA -> var[c] = vars++;
                default -> {
                }
            }
        }
        maskSlots = (wide + 63) >>> 6;
        packed = vars > 0;
        layOut();
        directNull = new long[n];
        directBase = new long[n];
        directSpan = new long[n];
        directMult = new int[n];
        directLo = new long[n];
        directHi = new long[n];
        directPossible = !prefixed && n > 0;
        neighbours = !prefixed && n > 0 && switch (kinds[0]) {
            case SMALLINT, INTEGER, DATE, BIGINT, TIMESTAMP -> true;
            default -> false;
        };
        for (int c = 0; c < n; c++) {
            switch (kinds[c]) {
                case BOOLEAN, SMALLINT, INTEGER, DATE -> directNull[c] = NARROW_NULL;
                case VARCHAR, BYTEA -> directNull[c] = 0; // packed; widening ends the direct lookups
                default -> directPossible = false;
            }
        }
        varColumn = new int[vars];
        for (int c = 0; c < n; c++) {
            if (var[c] >= 0) {
                varColumn[var[c]] = c;
            }
        }
        batchOffsets = new long[vars];
        batchData = new long[vars];
        batchValidity = new long[vars];
        batchNulls = new boolean[vars];

        keys = new long[0];
        groupHash = new long[0];
        growGroups(INITIAL_GROUPS);
        table = new long[0];
        table = memory.grow(table, INITIAL_GROUPS * 2);
        tableMask = table.length - 1;
        resizeAt = table.length / 2;
        rowSlots = new long[width][0];
        rowHash = new long[0];
        rowDiff = new long[0];
        rowCode = new int[0];
    }

    /** Sets the slots of the key columns, {@link #width} and {@link #stride} for the current {@link #packed}. */
    private void layOut() {
        int s = prefixed ? 1 : 0;
        int wide = 0;
        int vars = 0;
        for (int c = 0; c < kinds.length; c++) {
            slot[c] = s;
            switch (kinds[c]) {
                case BOOLEAN, SMALLINT, INTEGER, DATE, REAL, BIGINT, TIMESTAMP, DOUBLE -> s++;
                case DECIMAL -> s += 2;
                case VARCHAR, BYTEA -> {
                    vars++;
                    s += packed ? 1 : 3;
                }
            }
            if (maskBit[c] >= 0) {
                wide++;
            }
        }
        maskSlot = wide == 0 ? -1 : s;
        width = s + maskSlots;
        stride = packed ? width : width + vars;
    }

    /** Number of groups so far; ids are {@code [0, groupCount)}. */
    int groupCount() {
        return groupCount;
    }

    /**
     * Looks up the keys of rows {@code sel[0..n)} of a batch of {@code rows} rows, adding new
     * groups for unseen keys in the order of {@code sel}, and writes each row's group id to
     * {@code out[row]}. {@code keyVectors} are the batch's key columns in key order;
     * {@code prefix} (for a prefixed table) gives each row's prefix slot.
     */
    void findOrInsert(FieldVector[] keyVectors, int[] prefix, int rows, int[] sel, int n, int[] out) {
        if (packed && !shortStrings(keyVectors, rows)) {
            widen();
        }
        ensureScratch(rows);
        long[][] rs = rowSlots;
        if (prefixed) {
            long[] p = rs[0];
            for (int r = 0; r < rows; r++) {
                p[r] = prefix[r];
            }
        }
        for (int m = 0; m < maskSlots; m++) {
            Arrays.fill(rs[maskSlot + m], 0, rows, 0L);
        }
        for (int c = 0; c < kinds.length; c++) {
            fill(c, keyVectors[c], rows);
        }
        if (directPossible && (direct != null && directCodes(sel, n) || directCovers(sel, n) && directCodes(sel, n))) {
            findDirect(sel, n, out);
            return;
        }
        long[] h = rowHash;
        Arrays.fill(h, 0, rows, SEED);
        for (int s = 0; s < width; s++) {
            long[] col = rs[s];
            if (s == 0 && neighbours) {
                for (int r = 0; r < rows; r++) {
                    h[r] = round(h[r], col[r] >> NEIGHBOUR_BITS);
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    h[r] = round(h[r], col[r]);
                }
            }
        }
        if (neighbours) {
            long[] first = rs[0];
            for (int r = 0; r < rows; r++) {
                h[r] = (finish(h[r]) & ~NEIGHBOUR_MASK) | (first[r] & NEIGHBOUR_MASK);
            }
        } else {
            for (int r = 0; r < rows; r++) {
                h[r] = finish(h[r]);
            }
        }
        if (clustered && table.length > SMALL_TABLE) {
            probeClustered(sel, n, out);
        } else {
            probeBatch(sel, n, out);
        }
    }

    /**
     * Probes a batch in three passes, so that the common case runs without a hard-to-predict
     * branch per row: the group of each row's home entry when its tag matches (else a miss), then
     * the candidates' keys compared with the rows' a slot at a time, then one by one, in the order
     * of {@code sel}, the rows left over (misses, collisions, new keys, long strings to compare
     * byte for byte). New groups are thus still numbered in the order of {@code sel}.
     */
    private void probeBatch(int[] sel, int n, int[] out) {
        long[] h = rowHash;
        long[] t = table;
        int m = tableMask;
        long[] d = rowDiff;
        long[] k = keys;
        int stride = this.stride;
        for (int i = 0; i < n; i++) {
            int r = sel[i];
            long hash = h[r];
            long e = t[(int) hash & m];
            boolean hit = e != 0 && (int) (e >>> 32) == (int) (hash >>> 32);
            out[r] = hit ? (int) e - 1 : 0;
            d[i] = hit ? 0 : 1;
        }
        for (int s = 0; s < width; s++) {
            long[] col = rowSlots[s];
            for (int i = 0; i < n; i++) {
                int r = sel[i];
                d[i] |= k[out[r] * stride + s] ^ col[r];
            }
        }
        boolean longStrings = !packed && varColumn.length > 0;
        int repeats = 0;
        int last = -1;
        for (int i = 0; i < n; i++) {
            int r = sel[i];
            if (d[i] != 0 || (longStrings && !longStringsEqual(out[r], r))) {
                out[r] = probeOne(r, h[r]);
            }
            repeats += out[r] == last ? 1 : 0;
            last = out[r];
        }
        clustered = 2 * repeats >= n;
    }

    /**
     * Probes row by row, giving a row whose key equals the row before's that row's group without a
     * probe: on clustered input into a large table, this saves most rows' cache misses.
     */
    private void probeClustered(int[] sel, int n, int[] out) {
        long[] h = rowHash;
        int last = -1;
        long lastHash = 0;
        int repeats = 0;
        for (int k = 0; k < n; k++) {
            int r = sel[k];
            long hash = h[r];
            int g;
            if (last >= 0 && hash == lastHash && equal(last, r)) {
                g = last; // same key as the row before: no probe
            } else {
                g = probeOne(r, hash);
            }
            repeats += g == last ? 1 : 0;
            out[r] = g;
            last = g;
            lastHash = hash;
        }
        clustered = 2 * repeats >= n;
    }

    /**
     * Whether the {@link #direct} array covers the keys of rows {@code sel[0..n)}: made or
     * widened to the union of its range and the batch's if need be; false (for good) when that
     * would take more than {@link #DIRECT_ENTRIES} entries or too many rebuilds.
     */
    private boolean directCovers(int[] sel, int n) {
        int cols = kinds.length;
        boolean covered = direct != null;
        long[] lo = directLo;
        long[] hi = directHi;
        for (int c = 0; c < cols; c++) {
            long[] s = rowSlots[slot[c]];
            long nul = directNull[c];
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                long v = s[sel[i]];
                boolean isNull = v == nul;
                min = Math.min(min, isNull ? Long.MAX_VALUE : v);
                max = Math.max(max, isNull ? Long.MIN_VALUE : v);
            }
            lo[c] = min;
            hi[c] = max;
            covered &= min > max || (min >= directBase[c] && max - directBase[c] < directSpan[c]);
        }
        if (covered) {
            return true;
        }
        long entries = 1;
        for (int c = 0; c < cols; c++) {
            if (direct != null && directSpan[c] > 0) {
                if (lo[c] > hi[c]) {
                    lo[c] = directBase[c];
                    hi[c] = directBase[c] + directSpan[c] - 1;
                } else {
                    lo[c] = Math.min(lo[c], directBase[c]);
                    hi[c] = Math.max(hi[c], directBase[c] + directSpan[c] - 1);
                }
            }
            long span = lo[c] > hi[c] ? 0 : hi[c] - lo[c] + 1;
            if (span < 0 || span >= DIRECT_ENTRIES) {
                entries = Long.MAX_VALUE;
                break;
            }
            entries *= span + 1;
            if (entries > DIRECT_ENTRIES) {
                break;
            }
        }
        if (entries > DIRECT_ENTRIES || directRebuilds++ >= DIRECT_REBUILDS) {
            endDirect();
            return false;
        }
        int mult = 1;
        for (int c = 0; c < cols; c++) {
            directBase[c] = lo[c] > hi[c] ? 0 : lo[c];
            directSpan[c] = lo[c] > hi[c] ? 0 : hi[c] - lo[c] + 1;
            directMult[c] = mult;
            mult *= (int) directSpan[c] + 1;
        }
        if (direct != null) {
            memory.release(4L * direct.length);
        }
        direct = memory.grow(new int[0], mult);
        for (int g = 0; g < groupCount; g++) {
            int base = g * stride;
            int code = 0;
            for (int c = 0; c < cols; c++) {
                long v = keys[base + slot[c]];
                code += (v == directNull[c] ? 0 : (int) (v - directBase[c] + 1)) * directMult[c];
            }
            direct[code] = g + 1;
        }
        return true;
    }

    /** Leaves the direct lookups for good (the hash table already holds every group). */
    private void endDirect() {
        directPossible = false;
        if (direct != null) {
            memory.release(4L * direct.length);
            direct = null;
        }
        if (rowCode.length > 0) {
            memory.release(4L * rowCode.length);
            rowCode = new int[0];
        }
    }

    /**
     * Computes the combined codes of rows {@code sel[0..n)} into {@link #rowCode}; false if a key
     * lies outside the {@link #direct} array's range (the codes are then unusable).
     */
    private boolean directCodes(int[] sel, int n) {
        if (rowCode.length < n) {
            rowCode = memory.grow(rowCode, AggregateInput.scratchSize(n));
        }
        int[] code = rowCode;
        boolean outside = false;
        for (int c = 0; c < kinds.length; c++) {
            long[] s = rowSlots[slot[c]];
            long nul = directNull[c];
            long base = directBase[c];
            long span = directSpan[c];
            int mult = directMult[c];
            for (int i = 0; i < n; i++) {
                long v = s[sel[i]];
                long off = v - base;
                boolean isNull = v == nul;
                outside |= !isNull & Long.compareUnsigned(off, span) >= 0;
                int x = (isNull ? 0 : (int) off + 1) * mult;
                code[i] = c == 0 ? x : code[i] + x;
            }
        }
        return !outside;
    }

    /**
     * Looks up rows {@code sel[0..n)}, whose codes {@link #directCodes} has computed: each code
     * indexes the {@link #direct} array; a key without a group yet is added (through the hash
     * table, so that it stays complete), in the order of {@code sel}.
     */
    private void findDirect(int[] sel, int n, int[] out) {
        int[] code = rowCode;
        int[] d = direct;
        for (int i = 0; i < n; i++) {
            int r = sel[i];
            int g = d[code[i]] - 1;
            if (g < 0) {
                g = probeOne(r, rowHashOf(r));
                d[code[i]] = g + 1;
            }
            out[r] = g;
        }
    }

    /** The hash of row {@code r}'s slots, as {@link #findOrInsert} computes it for a whole batch. */
    private long rowHashOf(int r) {
        long h = SEED;
        for (int s = 0; s < width; s++) {
            long v = rowSlots[s][r];
            h = round(h, s == 0 && neighbours ? v >> NEIGHBOUR_BITS : v);
        }
        return neighbours ? (finish(h) & ~NEIGHBOUR_MASK) | (rowSlots[0][r] & NEIGHBOUR_MASK) : finish(h);
    }

    /** The group of row {@code r}, whose key hashes to {@code hash}: found by linear probing, or added. */
    private int probeOne(int r, long hash) {
        long[] t = table;
        int m = tableMask;
        int tag = (int) (hash >>> 32);
        int pos = (int) hash & m;
        while (true) {
            long e = t[pos];
            if (e == 0) {
                int g = insert(r, hash);
                t[pos] = ((long) tag << 32) | (g + 1);
                if (groupCount > resizeAt) {
                    rehash();
                }
                return g;
            }
            if ((int) (e >>> 32) == tag) {
                int g = (int) e - 1;
                if (equal(g, r)) {
                    return g;
                }
            }
            pos = (pos + 1) & m;
        }
    }

    private boolean equal(int g, int r) {
        long[] k = keys;
        long[][] rs = rowSlots;
        int base = g * stride;
        long diff = 0;
        for (int s = 0; s < width; s++) {
            diff |= k[base + s] ^ rs[s][r]; // no branch per slot: keys are a few slots
        }
        return diff == 0 && (packed || longStringsEqual(g, r));
    }

    /** Whether the strings longer than {@link #INLINE} bytes of group {@code g} and row {@code r} are equal (wide layout). */
    private boolean longStringsEqual(int g, int r) {
        long[] k = keys;
        int base = g * stride;
        for (int j = 0; j < varColumn.length; j++) {
            long len = k[base + slot[varColumn[j]] + 2];
            if (len > INLINE) {
                int start = MemoryUtil.getInt(batchOffsets[j] + 4L * r);
                if (!bytesEqual(batchData[j] + start, arena, (int) k[base + width + j], (int) len)) {
                    return false;
                }
            }
        }
        return true;
    }

    private int insert(int r, long hash) {
        int g = groupCount;
        if (g == capacity) {
            growGroups(capacity * 2);
        }
        int base = g * stride;
        long[] k = keys;
        long[][] rs = rowSlots;
        for (int s = 0; s < width; s++) {
            k[base + s] = rs[s][r];
        }
        groupHash[g] = hash;
        for (int j = 0; !packed && j < varColumn.length; j++) {
            long len = k[base + slot[varColumn[j]] + 2];
            if (len > INLINE) {
                int start = MemoryUtil.getInt(batchOffsets[j] + 4L * r);
                ensureArena((int) len);
                MemoryUtil.copyFromMemory(batchData[j] + start, arena, arenaUsed, len);
                k[base + width + j] = arenaUsed;
                arenaUsed += (int) len;
            }
        }
        groupCount = g + 1;
        return g;
    }

    private void growGroups(int newCapacity) {
        if ((long) newCapacity * stride > MAX_ARRAY) {
            throw DuetException.of(SqlState.OUT_OF_MEMORY,
                    "out of memory: more than %d groups in a hash aggregation", capacity);
        }
        keys = memory.grow(keys, newCapacity * stride);
        groupHash = memory.grow(groupHash, newCapacity);
        capacity = newCapacity;
    }

    private void rehash() {
        int size = table.length * 2;
        if (size <= 0 || size > MAX_ARRAY) {
            throw DuetException.of(SqlState.OUT_OF_MEMORY, "out of memory: hash table of %d groups", groupCount);
        }
        rebuildTable(size);
    }

    /** Replaces the table by one of {@code size} entries holding every group at its {@link #groupHash}. */
    private void rebuildTable(int size) {
        memory.add(8L * size);
        long[] t = new long[size];
        int m = size - 1;
        long[] gh = groupHash;
        for (int g = 0; g < groupCount; g++) {
            long hash = gh[g];
            int pos = (int) hash & m;
            while (t[pos] != 0) {
                pos = (pos + 1) & m;
            }
            t[pos] = ((hash >>> 32) << 32) | (g + 1);
        }
        memory.release(8L * table.length);
        table = t;
        tableMask = m;
        resizeAt = size / 2;
    }

    /** Whether every string of the batch's string key columns fits a packed slot. */
    private boolean shortStrings(FieldVector[] keyVectors, int rows) {
        for (int c : varColumn) {
            long offsets = ((BaseVariableWidthVector) keyVectors[c]).getOffsetBufferAddress();
            int previous = rows == 0 ? 0 : MemoryUtil.getInt(offsets);
            for (int r = 1; r <= rows; r++) {
                int next = MemoryUtil.getInt(offsets + 4L * r);
                if (next - previous > SHORT) {
                    return false;
                }
                previous = next;
            }
        }
        return true;
    }

    /**
     * Leaves the packed layout for good: rewrites every group's key in the wide layout (a packed
     * string becomes its bytes, no second word, and its length; none needs the arena, all being
     * short), recomputes the groups' hashes from the new slots and rebuilds the table. Group ids
     * and their order are unchanged.
     */
    private void widen() {
        int[] oldSlot = slot.clone();
        int oldStride = stride;
        int oldMaskSlot = maskSlot;
        long[] old = keys;
        packed = false;
        endDirect(); // string keys now take three slots
        layOut();
        if ((long) capacity * stride > MAX_ARRAY) {
            throw DuetException.of(SqlState.OUT_OF_MEMORY,
                    "out of memory: more than %d groups in a hash aggregation", capacity);
        }
        long[] k = memory.grow(new long[0], capacity * stride);
        for (int g = 0; g < groupCount; g++) {
            int from = g * oldStride;
            int to = g * stride;
            if (prefixed) {
                k[to] = old[from];
            }
            for (int c = 0; c < kinds.length; c++) {
                int a = from + oldSlot[c];
                int b = to + slot[c];
                switch (kinds[c]) {
                    case DECIMAL -> {
                        k[b] = old[a];
                        k[b + 1] = old[a + 1];
                    }
                    case VARCHAR, BYTEA -> {
                        long x = old[a];
                        int len = x == 0 ? -1 : packedLength(x);
                        k[b] = len <= 0 ? 0 : x & ((1L << (8 * len)) - 1);
                        k[b + 1] = 0;
                        k[b + 2] = len;
                    }
                    default -> k[b] = old[a];
                }
            }
            for (int m = 0; m < maskSlots; m++) {
                k[to + maskSlot + m] = old[from + oldMaskSlot + m];
            }
            long h = SEED;
            for (int s = 0; s < width; s++) {
                h = round(h, s == 0 && neighbours ? k[to] >> NEIGHBOUR_BITS : k[to + s]);
            }
            groupHash[g] = neighbours ? (finish(h) & ~NEIGHBOUR_MASK) | (k[to] & NEIGHBOUR_MASK) : finish(h);
        }
        memory.release(8L * old.length);
        keys = k;
        long[][] rs = new long[width][];
        for (int s = 0; s < width; s++) {
            rs[s] = memory.grow(new long[0], scratchRows);
        }
        for (long[] r : rowSlots) {
            memory.release(8L * r.length);
        }
        rowSlots = rs;
        rebuildTable(table.length);
    }

    /** The length of the string in a non-NULL packed slot: the marker bit is just above its bytes. */
    private static int packedLength(long x) {
        return (63 - Long.numberOfLeadingZeros(x)) >>> 3;
    }

    private void ensureArena(int extra) {
        long needed = (long) arenaUsed + extra;
        if (needed <= arena.length) {
            return;
        }
        if (needed > MAX_ARRAY) {
            throw DuetException.of(SqlState.OUT_OF_MEMORY,
                    "out of memory: the string keys of a hash aggregation exceed %d bytes", MAX_ARRAY);
        }
        long size = Math.max(Math.max(needed, 4096), Math.min(MAX_ARRAY, 2L * arena.length));
        arena = memory.grow(arena, (int) size);
    }

    private void ensureScratch(int rows) {
        if (rows <= scratchRows) {
            return;
        }
        int size = AggregateInput.scratchSize(rows);
        for (int s = 0; s < width; s++) {
            rowSlots[s] = memory.grow(rowSlots[s], size);
        }
        rowHash = memory.grow(rowHash, size);
        rowDiff = memory.grow(rowDiff, size);
        scratchRows = size;
    }

    private void fill(int c, FieldVector v, int rows) {
        long[] s = rowSlots[slot[c]];
        boolean nulls = v.getNullCount() > 0;
        long validity = v.getValidityBufferAddress();
        switch (kinds[c]) {
            case BOOLEAN -> {
                long d = v.getDataBufferAddress();
                for (int r = 0; r < rows; r++) {
                    s[r] = nulls && ArrowBuffers.isNull(validity, r) ? NARROW_NULL : ArrowBuffers.bit(d, r);
                }
            }
            case SMALLINT -> {
                long d = v.getDataBufferAddress();
                for (int r = 0; r < rows; r++) {
                    s[r] = nulls && ArrowBuffers.isNull(validity, r) ? NARROW_NULL : MemoryUtil.getShort(d + 2L * r);
                }
            }
            case INTEGER, DATE -> {
                long d = v.getDataBufferAddress();
                if (nulls) {
                    for (int r = 0; r < rows; r++) {
                        s[r] = ArrowBuffers.isNull(validity, r) ? NARROW_NULL : MemoryUtil.getInt(d + 4L * r);
                    }
                } else {
                    for (int r = 0; r < rows; r++) {
                        s[r] = MemoryUtil.getInt(d + 4L * r);
                    }
                }
            }
            case REAL -> {
                long d = v.getDataBufferAddress();
                for (int r = 0; r < rows; r++) {
                    s[r] = nulls && ArrowBuffers.isNull(validity, r)
                            ? NARROW_NULL : normalizedFloatBits(MemoryUtil.getInt(d + 4L * r));
                }
            }
            case BIGINT, TIMESTAMP -> {
                long d = v.getDataBufferAddress();
                for (int r = 0; r < rows; r++) {
                    s[r] = MemoryUtil.getLong(d + 8L * r);
                }
                if (nulls) {
                    markNulls(c, s, validity, rows);
                }
            }
            case DOUBLE -> {
                long d = v.getDataBufferAddress();
                for (int r = 0; r < rows; r++) {
                    s[r] = normalizedDoubleBits(MemoryUtil.getLong(d + 8L * r));
                }
                if (nulls) {
                    markNulls(c, s, validity, rows);
                }
            }
            case DECIMAL -> {
                long d = v.getDataBufferAddress();
                long[] hi = rowSlots[slot[c] + 1];
                for (int r = 0; r < rows; r++) {
                    s[r] = MemoryUtil.getLong(d + 16L * r);
                    hi[r] = MemoryUtil.getLong(d + 16L * r + 8);
                }
                if (nulls) {
                    markNulls(c, s, validity, rows);
                    for (int r = 0; r < rows; r++) {
                        if (ArrowBuffers.isNull(validity, r)) {
                            hi[r] = 0;
                        }
                    }
                }
            }
            case VARCHAR, BYTEA -> {
                BaseVariableWidthVector bv = (BaseVariableWidthVector) v;
                int j = var[c];
                long offsets = bv.getOffsetBufferAddress();
                long data = bv.getDataBufferAddress();
                long end = data + bv.getDataBuffer().capacity();
                batchOffsets[j] = offsets;
                batchData[j] = data;
                batchValidity[j] = validity;
                batchNulls[j] = nulls;
                if (packed) {
                    for (int r = 0; r < rows; r++) {
                        if (nulls && ArrowBuffers.isNull(validity, r)) {
                            s[r] = 0;
                            continue;
                        }
                        int start = MemoryUtil.getInt(offsets + 4L * r);
                        int len = MemoryUtil.getInt(offsets + 4L * r + 4) - start;
                        s[r] = readPadded(data + start, len, end) | (1L << (8 * len));
                    }
                    return;
                }
                long[] second = rowSlots[slot[c] + 1];
                long[] length = rowSlots[slot[c] + 2];
                for (int r = 0; r < rows; r++) {
                    if (nulls && ArrowBuffers.isNull(validity, r)) {
                        s[r] = 0;
                        second[r] = 0;
                        length[r] = -1;
                        continue;
                    }
                    int start = MemoryUtil.getInt(offsets + 4L * r);
                    int len = MemoryUtil.getInt(offsets + 4L * r + 4) - start;
                    long at = data + start;
                    s[r] = readPadded(at, Math.min(len, 8), end);
                    second[r] = len <= INLINE ? (len > 8 ? readPadded(at + 8, len - 8, end) : 0) : hashBytes(at, len);
                    length[r] = len;
                }
            }
        }
    }

    private void markNulls(int c, long[] s, long validity, int rows) {
        long[] mask = rowSlots[maskSlot + (maskBit[c] >>> 6)];
        long bit = 1L << (maskBit[c] & 63);
        for (int r = 0; r < rows; r++) {
            if (ArrowBuffers.isNull(validity, r)) {
                s[r] = 0;
                mask[r] |= bit;
            }
        }
    }

    /**
     * Writes the key values of groups {@code [from, from + count)} to rows {@code [0, count)} of
     * {@code out} (one vector per key column, allocated for {@code count} rows).
     */
    void writeKeys(FieldVector[] out, int from, int count) {
        byte[] inline = new byte[INLINE];
        for (int c = 0; c < kinds.length; c++) {
            FieldVector v = out[c];
            int s = slot[c];
            if (writeWords(c, v, from, count)) {
                continue;
            }
            for (int i = 0; i < count; i++) {
                int g = from + i;
                int base = g * stride;
                long x = keys[base + s];
                switch (kinds[c]) {
                    case BOOLEAN, SMALLINT, INTEGER, DATE -> {
                        if (x == NARROW_NULL) {
                            v.setNull(i);
                        } else {
                            ArrowBuffers.setLong(v, kinds[c], i, x);
                        }
                    }
                    case REAL -> {
                        if (x == NARROW_NULL) {
                            v.setNull(i);
                        } else {
                            ArrowBuffers.setDouble(v, i, Float.intBitsToFloat((int) x));
                        }
                    }
                    case BIGINT, TIMESTAMP, DOUBLE, DECIMAL -> {
                        long mask = keys[base + maskSlot + (maskBit[c] >>> 6)];
                        if ((mask & (1L << (maskBit[c] & 63))) != 0) {
                            v.setNull(i);
                        } else if (kinds[c] == DataType.Kind.DOUBLE) {
                            ArrowBuffers.setDouble(v, i, Double.longBitsToDouble(x));
                        } else if (kinds[c] == DataType.Kind.DECIMAL) {
                            ArrowBuffers.setDecimal(v, i, keys[base + s + 1], x);
                        } else {
                            ArrowBuffers.setLong(v, kinds[c], i, x);
                        }
                    }
                    case VARCHAR, BYTEA -> {
                        int len = packed ? (x == 0 ? -1 : packedLength(x)) : (int) keys[base + s + 2];
                        if (len < 0) {
                            v.setNull(i);
                        } else if (len <= INLINE) {
                            for (int b = 0; b < len; b++) {
                                inline[b] = (byte) ((b < 8 ? x : keys[base + s + 1]) >>> (8 * (b & 7)));
                            }
                            ((BaseVariableWidthVector) v).setSafe(i, inline, 0, len);
                        } else {
                            ((BaseVariableWidthVector) v).setSafe(i, arena, (int) keys[base + width + var[c]], len);
                        }
                    }
                }
            }
        }
    }

    /**
     * {@link #writeKeys} for a BIGINT, TIMESTAMP, INTEGER or DATE key column, on the vector's
     * buffers; false for the other kinds.
     */
    private boolean writeWords(int c, FieldVector v, int from, int count) {
        boolean wide = kinds[c] == DataType.Kind.BIGINT || kinds[c] == DataType.Kind.TIMESTAMP;
        if (!wide && kinds[c] != DataType.Kind.INTEGER && kinds[c] != DataType.Kind.DATE) {
            return false;
        }
        long[] k = keys;
        int s = slot[c];
        long data = v.getDataBufferAddress();
        ArrowBuf validity = v.getValidityBuffer();
        int nullSlot = wide ? maskSlot + (maskBit[c] >>> 6) : 0;
        long nullBit = wide ? 1L << (maskBit[c] & 63) : 0;
        for (int i = 0; i < count; i++) {
            int base = (from + i) * stride;
            long x = k[base + s];
            if (wide ? (k[base + nullSlot] & nullBit) != 0 : x == NARROW_NULL) {
                BitVectorHelper.unsetBit(validity, i);
                continue;
            }
            if (wide) {
                MemoryUtil.putLong(data + 8L * i, x);
            } else {
                MemoryUtil.putInt(data + 4L * i, (int) x);
            }
            BitVectorHelper.setBit(validity, i);
        }
        return true;
    }

    /** Drops every array (the reservation is released by its owner). */
    void free() {
        keys = null;
        groupHash = null;
        arena = null;
        table = null;
        rowSlots = null;
        rowHash = null;
        rowDiff = null;
        rowCode = null;
        direct = null;
    }

    static long normalizedFloatBits(int bits) {
        float f = Float.intBitsToFloat(bits);
        if (f == 0.0f) {
            return 0;
        }
        return f != f ? 0x7fc00000 : bits;
    }

    static long normalizedDoubleBits(long bits) {
        double d = Double.longBitsToDouble(bits);
        if (d == 0.0) {
            return 0;
        }
        return d != d ? 0x7ff8000000000000L : bits;
    }

    static long round(long acc, long value) {
        acc += value * P2;
        acc = Long.rotateLeft(acc, 31);
        return acc * P1;
    }

    static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** The {@code length} (at most 8) bytes at {@code address} as a little-endian long, zero-padded. */
    private static long readPadded(long address, int length, long end) {
        if (length <= 0) {
            return 0;
        }
        if (address + 8 <= end) {
            long x = MemoryUtil.getLong(address);
            return length == 8 ? x : x & ((1L << (8 * length)) - 1);
        }
        long x = 0;
        for (int i = 0; i < length; i++) {
            x |= (MemoryUtil.getByte(address + i) & 0xFFL) << (8 * i);
        }
        return x;
    }

    static long hashBytes(long address, int length) {
        long h = SEED + length * P1;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = round(h, MemoryUtil.getLong(address + i));
        }
        if (i < length) {
            long tail = 0;
            for (int shift = 0; i < length; i++, shift += 8) {
                tail |= (MemoryUtil.getByte(address + i) & 0xFFL) << shift;
            }
            h = round(h, tail);
        }
        return h;
    }

    static boolean bytesEqual(long address, byte[] arena, int start, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if (MemoryUtil.getLong(address + i) != MemoryUtil.getLong(arena, start + i)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (MemoryUtil.getByte(address + i) != arena[start + i]) {
                return false;
            }
        }
        return true;
    }
}
