package dev.duet.rowstore;

/**
 * A forward-only cursor over encoded (primary key, row) pairs, in key order unless its maker says
 * otherwise: {@link #next()} moves to the next pair, then {@link #key()} and {@link #row()} return
 * it. The cursor is its own position: a scan allocates one cursor, not an entry object per row
 * (which was a third of the row-store scan's time in TPC-H Q1/Q6). The arrays are the stored ones
 * (never modify them); they stay valid after the cursor moves on. Used by one thread.
 */
abstract class EncodedRows {
    /** A cursor with no rows. */
    static EncodedRows empty() {
        return new EncodedRows() {
            @Override
            boolean next() {
                return false;
            }
        };
    }

    /** The current pair; set by {@link #next()}, null before the first and after the last. */
    byte[] key;
    byte[] row;

    /** Moves to the next pair; false (and the position is cleared) when there is none. */
    abstract boolean next();

    /** The current pair's encoded key ({@code KeyCodec}; the row id for a table without a primary key). */
    final byte[] key() {
        return key;
    }

    /** The current pair's encoded row ({@code RowCodec}). */
    final byte[] row() {
        return row;
    }

    /** Sets the position to ({@code k}, {@code r}) and returns true: the tail of a {@link #next()} that found a row. */
    final boolean at(byte[] k, byte[] r) {
        key = k;
        row = r;
        return true;
    }

    /** Clears the position and returns false: the tail of a {@link #next()} at the end. */
    final boolean end() {
        key = null;
        row = null;
        return false;
    }
}
