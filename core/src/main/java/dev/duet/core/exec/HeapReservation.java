package dev.duet.core.exec;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.util.Arrays;
import java.util.Objects;
import org.apache.arrow.memory.AllocationReservation;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Charges Java-heap state that an operator holds (hash tables, accumulators, sort keys, join
 * match flags) to the
 * query's Arrow allocator, so that the query's memory limit covers it like the Arrow buffers:
 * growing past the limit fails with 53200 instead of running the JVM out of heap, and a
 * reservation not closed shows up as a leak when the {@link QueryContext} closes.
 *
 * <p>Bytes are reserved in 64 KiB granules and kept until {@link #close()}: {@link #release}
 * only lowers the count in use, so that memory freed and taken again is not reserved twice.
 * Use it from the operator's thread only.
 */
public final class HeapReservation implements AutoCloseable {
    private static final long GRANULE = 64 * 1024;

    private final BufferAllocator allocator;
    private final QueryContext context;
    private final String owner;
    private AllocationReservation reservation;
    private long reserved;
    private long used;
    private boolean closed;

    /** A reservation on {@code context}'s allocator; {@code owner} names the operator in errors. */
    public HeapReservation(QueryContext context, String owner) {
        this.context = Objects.requireNonNull(context, "context is null");
        this.allocator = context.allocator();
        this.owner = Objects.requireNonNull(owner, "owner is null");
    }

    /** Bytes counted as in use. */
    public long used() {
        return used;
    }

    /** Bytes reserved from the allocator (at least {@link #used()}). */
    public long reserved() {
        return reserved;
    }

    /** Counts {@code bytes} more as in use, reserving from the allocator as needed; 53200 past the limit. */
    public void add(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative, got " + bytes);
        }
        if (closed) {
            throw new IllegalStateException("reservation of " + owner + " is closed");
        }
        long wanted = used + bytes;
        if (wanted > reserved) {
            reserve(wanted - reserved);
        }
        used = wanted;
    }

    /** Counts {@code bytes} fewer as in use; the reservation itself stays until {@link #close()}. */
    public void release(long bytes) {
        used = Math.max(0, used - bytes);
    }

    private void reserve(long missing) {
        long granules = (missing + GRANULE - 1) / GRANULE;
        long bytes = granules * GRANULE;
        if (reservation == null) {
            reservation = allocator.newReservation();
        }
        // AllocationReservation.add rounds each request up to a power of two: reserve the exact
        // amount as a sum of powers of two.
        long remaining = bytes;
        while (remaining > 0) {
            long piece = Long.highestOneBit(remaining);
            if (!reservation.add(piece)) {
                throw new DuetException(SqlState.OUT_OF_MEMORY, String.format(
                        "out of memory: query memory limit of %d bytes exceeded (query holds %d bytes; %s needed %d more for heap arrays)",
                        context.memoryLimit(), allocator.getAllocatedMemory(), owner, remaining));
            }
            reserved += piece;
            remaining -= piece;
        }
    }

    /** A copy of {@code a} with {@code length} elements, counting the growth (the other {@code grow}s alike). */
    public long[] grow(long[] a, int length) {
        add(8L * (length - a.length));
        return Arrays.copyOf(a, length);
    }

    public int[] grow(int[] a, int length) {
        add(4L * (length - a.length));
        return Arrays.copyOf(a, length);
    }

    public double[] grow(double[] a, int length) {
        add(8L * (length - a.length));
        return Arrays.copyOf(a, length);
    }

    public byte[] grow(byte[] a, int length) {
        add(length - a.length);
        return Arrays.copyOf(a, length);
    }

    public boolean[] grow(boolean[] a, int length) {
        add(length - a.length);
        return Arrays.copyOf(a, length);
    }

    public <T> T[] grow(T[] a, int length) {
        add(8L * (length - a.length));
        return Arrays.copyOf(a, length);
    }

    /** Gives the reserved bytes back to the allocator. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        used = 0;
        reserved = 0;
        if (reservation != null) {
            AllocationReservation r = reservation;
            reservation = null;
            r.close();
        }
    }

    @Override
    public String toString() {
        return "HeapReservation[" + owner + " used=" + used + " reserved=" + reserved + "]";
    }
}
