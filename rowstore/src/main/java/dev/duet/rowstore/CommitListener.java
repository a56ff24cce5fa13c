package dev.duet.rowstore;

/**
 * Receives every commit of a {@link RowStore} in commit order, as it is appended to the WAL: the
 * in-process feed that the column-store sync follows instead of polling the log.
 *
 * <p>{@link #committed} runs on the committing thread while it holds the store's commit lock,
 * right after the WAL append: it must copy what it needs (the payload array is reused by the next
 * commit), must not call back into the store and should return at once (a bounded wait for
 * backpressure is acceptable: it delays every committer). The commit it reports is not durable yet:
 * a subscriber that persists what it derives from it must first make the log durable up to
 * {@code endLsn} ({@link RowStore#forceDurable}).
 */
public interface CommitListener {
    /**
     * One commit: its timestamp, the WAL position just after its record (0 in an in-memory
     * database), and its record payload ({@link CommitRecord} layout) in {@code payload[off, off + len)}.
     */
    void committed(long ts, long endLsn, byte[] payload, int off, int len);
}
