package dev.duet.sync;

import java.lang.invoke.VarHandle;

/**
 * The commits the row store's feed handed over and the sync thread has not finished with: a ring
 * of reused entries, each a commit's timestamp, WAL end position, arrival time and a copy of its
 * record in a byte slab the entry keeps from one lap to the next. Handing a commit over thus
 * allocates nothing (once each slab has grown to the records it carries) and takes no lock.
 *
 * <p>Protocol: one producer at a time (the row store calls its commit listener under its commit
 * lock, which also orders one committing thread's entries before the next one's) and one consumer
 * (the sync thread). Entries {@code [tail, head)} belong to the consumer, the others to the
 * producer. The producer fills entry {@code head} and then publishes it by writing {@code head}
 * (volatile); the consumer reads {@code head}, uses the entries below it, and gives them back by
 * writing {@code tail} (volatile), after which the producer may overwrite them. Sequence numbers
 * grow without bound; an entry's index is its sequence number modulo the capacity.
 *
 * <p>Slabs: a record longer than its entry's slab gets a new slab of its size (the only
 * allocation); the consumer drops slabs longer than {@value #KEEP_SLAB} bytes when it gives their
 * entry back, so that a bulk commit's megabytes are not kept for the next lap. The slabs kept hold
 * at most {@code capacity * KEEP_SLAB} bytes.
 */
final class CommitRing extends CommitRingTail {
    /** Bytes of the first slab of an entry: a single-row commit of a narrow table fits. */
    static final int FIRST_SLAB = 256;
    /** Slabs up to this many bytes are kept for the next lap; longer ones are dropped once applied. */
    static final int KEEP_SLAB = 2048;

    private final int mask;
    private final long[] ts;
    private final long[] endLsn;
    private final long[] received;
    private final int[] length;
    private final byte[][] slabs;

    /** A ring of {@code capacity} entries (a power of two). */
    CommitRing(int capacity) {
        if (capacity < 1 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        mask = capacity - 1;
        ts = new long[capacity];
        endLsn = new long[capacity];
        received = new long[capacity];
        length = new int[capacity];
        slabs = new byte[capacity][];
    }

    int capacity() {
        return mask + 1;
    }

    // ------------------------------------------------------------------ producer

    /** Whether an entry is free for {@link #add}. Producer. */
    boolean hasRoom() {
        return head - tail <= mask;
    }

    /** Copies a commit into the next entry and publishes it; {@link #hasRoom} must be true. Producer. */
    void add(long commitTs, long commitEndLsn, byte[] payload, int off, int len, long receivedNanos) {
        long h = head;
        if (h - tail > mask) {
            throw new IllegalStateException("commit ring is full");
        }
        int i = (int) h & mask;
        byte[] slab = slabs[i];
        if (slab == null || slab.length < len) {
            slab = new byte[Math.max(len, FIRST_SLAB)];
            slabs[i] = slab;
        }
        System.arraycopy(payload, off, slab, 0, len);
        ts[i] = commitTs;
        endLsn[i] = commitEndLsn;
        received[i] = receivedNanos;
        length[i] = len;
        addedBytes += len; // the producer is the only writer
        head = h + 1; // publishes the entry (and the byte count) to the consumer
    }

    // ------------------------------------------------------------------ consumer

    /** The first entry not given back. Consumer (any thread may read it). */
    long tail() {
        return tail;
    }

    /** The first entry not published. */
    long head() {
        return head;
    }

    long ts(long seq) {
        return ts[(int) seq & mask];
    }

    long endLsn(long seq) {
        return endLsn[(int) seq & mask];
    }

    long received(long seq) {
        return received[(int) seq & mask];
    }

    int length(long seq) {
        return length[(int) seq & mask];
    }

    /** The record of entry {@code seq} in its first {@link #length} bytes. */
    byte[] payload(long seq) {
        return slabs[(int) seq & mask];
    }

    /** Gives the entries below {@code upTo}, holding {@code bytes} record bytes, back to the producer. Consumer. */
    void release(long upTo, long bytes) {
        for (long s = tail; s < upTo; s++) {
            int i = (int) s & mask;
            if (slabs[i].length > KEEP_SLAB) {
                slabs[i] = null;
            }
        }
        releasedBytes += bytes; // the consumer is the only writer
        tail = upTo; // after the slab writes: the producer reads tail before touching the entries
    }

    // ------------------------------------------------------------------ any thread

    /** Entries published and not given back. */
    long backlogCommits() {
        long t = tail;
        return Math.max(0, head - t);
    }

    /** Record bytes published and not given back. */
    long backlogBytes() {
        long r = releasedBytes; // before addedBytes: the difference is then never negative
        return addedBytes - r;
    }

    /**
     * When the oldest entry not given back arrived ({@link System#nanoTime()}), or -1 if there is
     * none; for metrics, from any thread. The entry's time is read optimistically: it is kept only
     * if the consumer did not give the entry back meanwhile (the producer overwrites an entry only
     * after that).
     */
    long oldestReceived() {
        while (true) {
            long t = tail;
            if (t >= head) {
                return -1;
            }
            long at = received[(int) t & mask];
            VarHandle.loadLoadFence(); // the entry's time is read before tail is read again
            if (tail == t) {
                return at;
            }
        }
    }
}

/*
 * The producer's and the consumer's counters of a CommitRing live in cache lines of their own
 * (the JVM lays out a superclass's fields before its subclass's, so these classes pad them
 * apart), so that the consumer writing tail does not evict the line the producer writes head in
 * at every commit.
 */
@SuppressWarnings("unused")
class CommitRingPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

class CommitRingHead extends CommitRingPad0 {
    /** Written by the producer: entries below it are published. */
    volatile long head;
    /** Written by the producer: record bytes ever added. */
    volatile long addedBytes;
}

@SuppressWarnings("unused")
class CommitRingPad1 extends CommitRingHead {
    long p10, p11, p12, p13, p14, p15, p16, p17;
}

@SuppressWarnings("unused")
class CommitRingTail extends CommitRingPad1 {
    /** Written by the consumer: entries below it are given back. */
    volatile long tail;
    /** Written by the consumer: record bytes ever given back. */
    volatile long releasedBytes;
    long p20, p21, p22, p23, p24, p25, p26, p27;
}
