package dev.duet.rowstore;

/**
 * One committed version of a row. Versions of a key form a chain, newest first: a reader at
 * snapshot S takes the first version whose {@code ts <= S}. A null {@code row} is a deletion
 * (tombstone). Only {@link #older} ever changes after publication, and only from a version to
 * null (pruning), so readers need no lock.
 *
 * <p>The first version of a key is its {@link VersionedTable.Slot} itself (a subclass), so that a
 * row written once costs one object less; it is then always the oldest version of its chain.
 * When pruning cuts it off the chain, its {@link #row} is cleared so that the slot does not keep
 * the bytes of a version no snapshot can reach.
 */
class RowVersion {
    /** Commit timestamp of the transaction that wrote this version. */
    final long ts;
    /**
     * The encoded row, or null for a deletion. Set once, except that {@link #prune} clears it in a
     * slot's own version once pruning has cut that version off its chain: only a snapshot older
     * than the horizon could read it, and none is open.
     */
    byte[] row;
    /** Next older version; cut to null once no open snapshot can reach past this one. */
    volatile RowVersion older;

    RowVersion(long ts, byte[] row, RowVersion older) {
        this.ts = ts;
        this.row = row;
        this.older = older;
    }

    /** The version visible at {@code snapshot}, or null if the key did not exist then. */
    static RowVersion visible(RowVersion head, long snapshot) {
        RowVersion v = head;
        while (v != null && v.ts > snapshot) {
            v = v.older;
        }
        return v;
    }

    /** The encoded row visible at {@code snapshot}, or null if absent or deleted at that time. */
    static byte[] visibleRow(RowVersion head, long snapshot) {
        RowVersion v = visible(head, snapshot);
        return v == null ? null : v.row;
    }

    /**
     * Drops versions no snapshot at or after {@code horizon} can see: everything older than the
     * first version with {@code ts <= horizon}. Returns that version (or null).
     */
    static RowVersion prune(RowVersion head, long horizon) {
        RowVersion v = visible(head, horizon);
        RowVersion cut = v == null ? null : v.older;
        if (cut != null) {
            v.older = null;
            while (cut.older != null) {
                cut = cut.older;
            }
            if (cut instanceof VersionedTable.Slot) {
                cut.row = null; // the slot's own version, the oldest of the chain, is gone
            }
        }
        return v;
    }
}
