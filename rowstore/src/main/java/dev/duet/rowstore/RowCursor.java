package dev.duet.rowstore;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Rows of an ordered scan, in key order, as of the transaction's snapshot plus its own writes.
 * The cursor reads lazily; it stays valid while its transaction is open.
 */
public final class RowCursor implements Iterator<Row>, Iterable<Row> {
    private final Iterator<Row> source;

    RowCursor(Iterator<Row> source) {
        this.source = source;
    }

    @Override
    public boolean hasNext() {
        return source.hasNext();
    }

    @Override
    public Row next() {
        if (!source.hasNext()) {
            throw new NoSuchElementException();
        }
        return source.next();
    }

    @Override
    public Iterator<Row> iterator() {
        return this;
    }

    /** Reads the rest into a list. */
    public java.util.List<Row> toList() {
        java.util.List<Row> out = new java.util.ArrayList<>();
        forEachRemaining(out::add);
        return out;
    }
}
