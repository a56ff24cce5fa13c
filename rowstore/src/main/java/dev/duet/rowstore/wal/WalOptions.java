package dev.duet.rowstore.wal;

import static java.util.Objects.requireNonNull;

/**
 * Tuning of a {@link WalWriter}: segment size, durability mode and the limits that decide when
 * buffered records are written. {@link #defaults()} gives 64 MiB segments and {@link
 * Durability#FSYNC}; the {@code with...} methods return modified copies.
 *
 * @param segmentSize soft size limit of a segment file: a record that would cross it starts a new
 *     segment (a record larger than the limit gets a segment of its own)
 * @param durability what {@link WalWriter#awaitDurable(long)} waits for
 * @param asyncFlushIntervalMillis in {@link Durability#ASYNC}, how often the background thread
 *     writes and forces pending records
 * @param asyncFlushBytes in {@link Durability#ASYNC}, pending bytes that wake the background
 *     thread before its interval is over
 * @param maxPendingBytes pending bytes beyond which an appender writes and forces the log itself
 *     (backpressure: memory stays bounded when nobody waits for durability)
 * @param initialBufferSize starting capacity of each of the two append buffers; they grow on demand
 */
public record WalOptions(
        long segmentSize,
        Durability durability,
        long asyncFlushIntervalMillis,
        int asyncFlushBytes,
        int maxPendingBytes,
        int initialBufferSize) {

    /** What a committer waits for before its commit counts as done. */
    public enum Durability {
        /** {@link WalWriter#awaitDurable(long)} returns once the record is written and fsync'ed. */
        FSYNC,
        /**
         * {@link WalWriter#awaitDurable(long)} returns at once; a background thread writes and
         * forces the log every few milliseconds, so a crash can lose the last moments of commits
         * (never corrupt the log).
         */
        ASYNC
    }

    /** Largest allowed {@link #segmentSize()}: keeps every segment readable into one array. */
    public static final long MAX_SEGMENT_SIZE = 1L << 30;

    public WalOptions {
        requireNonNull(durability, "durability is null");
        if (segmentSize < 1 || segmentSize > MAX_SEGMENT_SIZE) {
            throw new IllegalArgumentException("segmentSize must be in [1, " + MAX_SEGMENT_SIZE + "]: " + segmentSize);
        }
        if (asyncFlushIntervalMillis < 1) {
            throw new IllegalArgumentException("asyncFlushIntervalMillis must be positive: " + asyncFlushIntervalMillis);
        }
        if (asyncFlushBytes < 1 || maxPendingBytes < 1 || initialBufferSize < WalFormat.HEADER_SIZE) {
            throw new IllegalArgumentException("buffer limits must be positive (initialBufferSize at least "
                    + WalFormat.HEADER_SIZE + "): asyncFlushBytes=" + asyncFlushBytes + ", maxPendingBytes="
                    + maxPendingBytes + ", initialBufferSize=" + initialBufferSize);
        }
    }

    /** 64 MiB segments, fsync durability, 10 ms / 4 MiB async flushes, 64 MiB backpressure. */
    public static WalOptions defaults() {
        return new WalOptions(64L << 20, Durability.FSYNC, 10, 4 << 20, 64 << 20, 256 << 10);
    }

    public WalOptions withSegmentSize(long segmentSize) {
        return new WalOptions(segmentSize, durability, asyncFlushIntervalMillis, asyncFlushBytes, maxPendingBytes, initialBufferSize);
    }

    public WalOptions withDurability(Durability durability) {
        return new WalOptions(segmentSize, durability, asyncFlushIntervalMillis, asyncFlushBytes, maxPendingBytes, initialBufferSize);
    }

    public WalOptions withAsyncFlushIntervalMillis(long asyncFlushIntervalMillis) {
        return new WalOptions(segmentSize, durability, asyncFlushIntervalMillis, asyncFlushBytes, maxPendingBytes, initialBufferSize);
    }

    public WalOptions withAsyncFlushBytes(int asyncFlushBytes) {
        return new WalOptions(segmentSize, durability, asyncFlushIntervalMillis, asyncFlushBytes, maxPendingBytes, initialBufferSize);
    }

    public WalOptions withMaxPendingBytes(int maxPendingBytes) {
        return new WalOptions(segmentSize, durability, asyncFlushIntervalMillis, asyncFlushBytes, maxPendingBytes, initialBufferSize);
    }

    public WalOptions withInitialBufferSize(int initialBufferSize) {
        return new WalOptions(segmentSize, durability, asyncFlushIntervalMillis, asyncFlushBytes, maxPendingBytes, initialBufferSize);
    }
}
