package dev.duet.planner.exec.join;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.util.Objects;
import org.apache.arrow.memory.AllocationReservation;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Accounts an operator's heap arrays (hash tables, chains, match flags, per-batch scratch) against
 * the query's Arrow allocator, so that the query's memory limit bounds them as it bounds Arrow
 * buffers, and the leak check at the end of the query covers them too. The owner calls
 * {@link #reserve} before it allocates an array; a reservation past the limit fails with 53200
 * before the array exists.
 *
 * <p>The reservation is a high-water mark: arrays that are replaced (a table that doubled) are not
 * given back until {@link #close()}. It grows in granules of 64 KiB.
 */
final class HeapReservation implements AutoCloseable {
    /** Reservations grow in multiples of this many bytes. */
    private static final long GRANULE = 64 * 1024;

    private final BufferAllocator allocator;
    private final String owner;
    private AllocationReservation reservation;
    /** Bytes the owner has asked for so far. */
    private long requested;

    HeapReservation(BufferAllocator allocator, String owner) {
        this.allocator = Objects.requireNonNull(allocator, "allocator is null");
        this.owner = Objects.requireNonNull(owner, "owner is null");
    }

    /** Accounts {@code bytes} more heap memory; 53200 if the query's limit does not allow it. */
    void reserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative, got " + bytes);
        }
        if (reservation == null) {
            reservation = allocator.newReservation();
        }
        long wanted = requested + bytes;
        long missing = wanted - reservation.getSizeLong();
        if (missing > 0) {
            // Arrow rounds each increment up to a power of two: add the increment (rounded to a
            // granule) one power of two at a time, so that nothing is wasted beyond the granule.
            long granules = (missing + GRANULE - 1) / GRANULE;
            for (long bit = Long.highestOneBit(granules); bit != 0; bit >>>= 1) {
                if ((granules & bit) != 0 && !reservation.add(bit * GRANULE)) {
                    throw DuetException.of(SqlState.OUT_OF_MEMORY,
                            "out of memory: query memory limit of %d bytes exceeded (query holds %d bytes; %s needed %d more for heap arrays)",
                            allocator.getLimit(), allocator.getAllocatedMemory(), owner, missing);
                }
            }
        }
        requested = wanted;
    }

    /** Bytes accounted now (the reservation, rounded up by Arrow). */
    long reservedBytes() {
        return reservation == null ? 0 : reservation.getSizeLong();
    }

    /** Gives the reserved bytes back. Idempotent; the owner may reserve again afterwards. */
    @Override
    public void close() {
        if (reservation != null) {
            reservation.close();
            reservation = null;
        }
        requested = 0;
    }
}
