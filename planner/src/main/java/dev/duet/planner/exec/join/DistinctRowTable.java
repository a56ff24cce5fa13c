package dev.duet.planner.exec.join;

import dev.duet.core.exec.HeapReservation;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/**
 * The distinct rows seen by a set operation. Each distinct row (all columns; NULL equal to NULL)
 * is an entry, numbered from 0 in order of first appearance, whose values are kept in a
 * {@link BufferedRows}. Rows are found through an open-addressing table over primitive arrays:
 * {@code slots} holds entry + 1 (0 = empty) and {@code entryHashes} each entry's 64-bit hash.
 *
 * <p>Lookups take a whole batch: all rows are hashed, then probed in rounds. A round takes each
 * still-unresolved row to its next slot with an equal hash (or inserts it at an empty one); the
 * rows inserted in the round are copied into the stored rows, and then all candidates of the
 * round are compared column by column at once. A duplicate of a row inserted earlier in the same
 * batch is thus found like any other. No per-row objects.
 */
final class DistinctRowTable implements AutoCloseable {
    private final KeyColumns keys;
    private final BufferedRows rows;
    private final FieldVector[] stored;
    private final HeapReservation memory;

    private int[] slots;
    private int mask;
    private long[] entryHashes;
    private int size;

    private long[] hashes = new long[0];
    private int[] position = new int[0];
    private int[] active = new int[0];
    private int[] candidateRow = new int[0];
    private int[] candidateEntry = new int[0];
    private int[] fresh = new int[0];
    private boolean[] equal = new boolean[0];

    DistinctRowTable(BufferAllocator allocator, List<BatchColumn> columns, HeapReservation memory, int expectedRows) {
        List<DataType> types = new ArrayList<>(columns.size());
        for (BatchColumn c : columns) {
            types.add(c.type());
        }
        this.keys = KeyColumns.forSetOperation(types);
        this.memory = memory;
        int slotCount = slotsFor(Math.max(expectedRows, 8));
        memory.add((long) slotCount * Integer.BYTES + (long) (slotCount / 2) * Long.BYTES);
        this.slots = new int[slotCount];
        this.mask = slotCount - 1;
        this.entryHashes = new long[slotCount / 2];
        this.rows = new BufferedRows(allocator, columns, null, expectedRows);
        this.stored = new FieldVector[columns.size()];
        for (int c = 0; c < stored.length; c++) {
            stored[c] = rows.vector(c);
        }
    }

    private static int slotsFor(long entries) {
        long wanted = Math.max(16L, 2L * entries);
        if (wanted > 1 << 30) {
            throw new IllegalStateException("too many distinct rows for one set operation: " + entries);
        }
        return Integer.highestOneBit((int) wanted - 1) << 1;
    }

    /** Distinct rows held. */
    int size() {
        return size;
    }

    /** Column {@code c} of the entries: entry {@code e} is row {@code e}. Valid until the next {@link #add}. */
    FieldVector vector(int c) {
        return stored[c];
    }

    /**
     * Looks up rows {@code [0, count)} of {@code batch} (one vector per column), adding those not
     * yet present as new entries; {@code entryOut[i]} gets row {@code i}'s entry. Returns how many
     * entries were added: they are the last ones, in order of their first row.
     */
    int add(FieldVector[] batch, int count, int[] entryOut) {
        return lookup(batch, count, entryOut, true);
    }

    /** As {@link #add}, without adding: {@code entryOut[i]} is -1 for a row not present. */
    void find(FieldVector[] batch, int count, int[] entryOut) {
        lookup(batch, count, entryOut, false);
    }

    private int lookup(FieldVector[] batch, int count, int[] entryOut, boolean insert) {
        ensureScratch(count);
        if (insert) {
            ensureRoom(size + count);
        }
        keys.encode(batch, count, hashes, null);
        int activeCount = count;
        for (int i = 0; i < count; i++) {
            active[i] = i;
            position[i] = (int) hashes[i] & mask;
        }
        int added = 0;
        while (activeCount > 0) {
            int candidates = 0;
            int inserted = 0;
            for (int a = 0; a < activeCount; a++) {
                int i = active[a];
                long h = hashes[i];
                int p = position[i];
                while (true) {
                    int e = slots[p] - 1;
                    if (e < 0) {
                        if (insert) {
                            e = size + inserted;
                            slots[p] = e + 1;
                            entryHashes[e] = h;
                            fresh[inserted++] = i;
                            entryOut[i] = e;
                        } else {
                            entryOut[i] = -1;
                        }
                        break;
                    }
                    if (entryHashes[e] == h) {
                        candidateRow[candidates] = i;
                        candidateEntry[candidates++] = e;
                        break;
                    }
                    p = (p + 1) & mask;
                }
                position[i] = p;
            }
            if (inserted > 0) {
                // Before comparing: a candidate may be an entry inserted in this very round.
                rows.append(batch, fresh, inserted);
                size += inserted;
                added += inserted;
            }
            if (candidates == 0) {
                break;
            }
            keys.compare(batch, candidateRow, stored, candidateEntry, candidates, equal);
            activeCount = 0;
            for (int c = 0; c < candidates; c++) {
                int i = candidateRow[c];
                if (equal[c]) {
                    entryOut[i] = candidateEntry[c];
                } else {
                    position[i] = (position[i] + 1) & mask;
                    active[activeCount++] = i;
                }
            }
        }
        return added;
    }

    /** Makes room for {@code entries} entries at most half filling the slots. */
    private void ensureRoom(int entries) {
        if (entries > entryHashes.length) {
            int length = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(entries, 2L * entryHashes.length));
            memory.add((long) length * Long.BYTES);
            entryHashes = Arrays.copyOf(entryHashes, length);
        }
        if (2L * entries <= slots.length) {
            return;
        }
        int slotCount = slotsFor(entries);
        memory.add((long) slotCount * Integer.BYTES);
        int[] grown = new int[slotCount];
        int m = slotCount - 1;
        for (int e = 0; e < size; e++) {
            int p = (int) entryHashes[e] & m;
            while (grown[p] != 0) {
                p = (p + 1) & m;
            }
            grown[p] = e + 1;
        }
        slots = grown;
        mask = m;
    }

    private void ensureScratch(int count) {
        if (hashes.length >= count) {
            return;
        }
        memory.add((long) count * (Long.BYTES + 5 * Integer.BYTES + 1));
        hashes = new long[count];
        position = new int[count];
        active = new int[count];
        candidateRow = new int[count];
        candidateEntry = new int[count];
        fresh = new int[count];
        equal = new boolean[count];
    }

    @Override
    public void close() {
        rows.close();
        slots = null;
        entryHashes = null;
        size = 0;
    }
}
