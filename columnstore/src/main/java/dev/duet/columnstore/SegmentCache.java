package dev.duet.columnstore;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ForeignAllocation;
import org.apache.arrow.vector.FieldVector;

/**
 * Decoded column chunks of sealed segment files (one Arrow vector per segment, row group and
 * column), shared read-only by the scans of a {@link ColumnStore}, so that a scan of a segment
 * read before copies buffers instead of decompressing and decoding Parquet pages.
 *
 * <p>Memory: the vectors live under the cache's own child allocator of the store's, and the cache
 * keeps their total at most {@link ColumnStoreOptions#scanCacheBytes()} by evicting the least
 * recently used; a chunk that a running scan has pinned (or a query holds lent buffers of) is
 * freed when the last of them lets it go, so the total may exceed the budget by the chunks in use.
 *
 * <p>Lending: a scan whose snapshot sees every row of a row group hands the cached buffers to the
 * query without copying them ({@link #lend}). Each lent buffer is a foreign allocation of the
 * query's allocator: the query's allocator accounts its bytes (so memory limits and the
 * "allocator ends at zero" check still cover them), and the buffer holds a pin of its chunk until
 * the query frees it, whichever thread that happens on; an evicted chunk is freed once its last
 * lent buffer is. The store's allocator and the query's have different roots, which is why
 * buffers are lent this way rather than transferred or retained across allocators. Lent buffers
 * are read-only: operators never write into an input batch's vectors ({@code Operator}'s
 * contract), and copies ({@code TransferPair}) only move the accounting.
 *
 * <p>Segment files never change once sealed, and a compacted segment gets a new file, so an entry
 * is never stale; entries of files no longer listed simply age out. Every field below is guarded
 * by synchronizing on the cache; decoding happens outside the lock.
 */
final class SegmentCache implements AutoCloseable {
    /** One column chunk: {@code column} is the position in the segment file. */
    record Key(Segment.SealedFile file, int rowGroup, int column) {
    }

    /** A cached vector and the scans using it. */
    static final class Entry {
        final FieldVector vector;
        final long bytes;
        private int pins;
        private boolean evicted;

        private Entry(FieldVector vector, long bytes) {
            this.vector = vector;
            this.bytes = bytes;
        }
    }

    private final BufferAllocator allocator;
    private final long budget;
    /** Access order: the first entry is the least recently used. */
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;
    private boolean closed;

    SegmentCache(BufferAllocator parent, long budget) {
        this.allocator = parent.newChildAllocator("segment-cache", 0, Long.MAX_VALUE);
        this.budget = budget;
    }

    /** Whether the cache may hold anything (a budget of 0 turns it off). */
    boolean enabled() {
        return budget > 0;
    }

    /** The allocator chunks are decoded into before {@link #put}. */
    BufferAllocator allocator() {
        return allocator;
    }

    /** The cached chunk, pinned (the caller {@link #unpin}s it), or null. */
    synchronized Entry pin(Key key) {
        Entry e = entries.get(key);
        if (e == null) {
            misses++;
            return null;
        }
        hits++;
        e.pins++;
        return e;
    }

    /**
     * Caches {@code vector} (decoded under {@link #allocator()}; the cache owns it from now on) and
     * returns it pinned; if another scan cached the chunk meanwhile, frees {@code vector} and
     * returns that one. Evicts the least recently used unpinned-or-not entries beyond the budget.
     */
    synchronized Entry put(Key key, FieldVector vector) {
        Entry existing = entries.get(key);
        if (existing != null || closed) {
            if (existing == null) {
                Entry alone = new Entry(vector, 0); // the store is closing: the caller's alone
                alone.pins = 1;
                alone.evicted = true;
                return alone;
            }
            vector.close();
            existing.pins++;
            return existing;
        }
        long size = 0;
        for (ArrowBuf b : vector.getFieldBuffers()) {
            size += b.capacity();
        }
        Entry e = new Entry(vector, size);
        e.pins = 1;
        entries.put(key, e);
        bytes += size;
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        while (bytes > budget && it.hasNext()) {
            Entry old = it.next().getValue();
            if (old == e) {
                continue;
            }
            it.remove();
            evict(old);
        }
        return e;
    }

    private void evict(Entry e) {
        bytes -= e.bytes;
        e.evicted = true;
        if (e.pins == 0) {
            e.vector.close();
        }
    }

    /**
     * {@code buffer} (a buffer of pinned entry {@code e}'s vector) as a buffer of {@code to}, with
     * no copy: the returned buffer holds a pin of {@code e} of its own until it is freed. See the
     * class javadoc.
     */
    ArrowBuf lend(Entry e, ArrowBuf buffer, BufferAllocator to) {
        if (buffer.capacity() == 0) {
            return to.getEmpty();
        }
        Lent lent = new Lent(e, buffer);
        synchronized (this) {
            e.pins++;
        }
        try {
            return to.wrapForeignAllocation(lent);
        } catch (RuntimeException | Error t) {
            unpin(e); // no buffer was made, so release0 will not run
            throw t;
        }
    }

    /** A cached buffer lent to a query: releasing it ends its pin. */
    private final class Lent extends ForeignAllocation {
        private final Entry entry;

        Lent(Entry entry, ArrowBuf buffer) {
            super(buffer.capacity(), buffer.memoryAddress());
            this.entry = entry;
        }

        @Override
        protected void release0() {
            unpin(entry);
        }
    }

    /** Ends one scan's use of {@code e}. */
    synchronized void unpin(Entry e) {
        if (--e.pins == 0 && e.evicted) {
            e.vector.close();
        }
    }

    /** Bytes of the cached vectors. */
    synchronized long bytes() {
        return bytes;
    }

    /** Chunks found in the cache so far. */
    synchronized long hits() {
        return hits;
    }

    /** Chunks not found in the cache so far. */
    synchronized long misses() {
        return misses;
    }

    /**
     * Frees every chunk no scan has pinned (the others when they are unpinned), and the allocator
     * once nothing is left.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean pinned = false;
        for (Entry e : entries.values()) {
            evict(e);
            pinned |= e.pins > 0;
        }
        entries.clear();
        if (!pinned) {
            allocator.close();
        }
    }
}
