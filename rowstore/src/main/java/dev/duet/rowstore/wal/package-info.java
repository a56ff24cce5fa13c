/**
 * The write-ahead log of the row store: segment files, the record format, group commit and the
 * recovery reader.
 *
 * <p>A log is a directory of segment files named by their base LSN ({@code %020d.wal}). An LSN is
 * a byte position in the whole log stream: a segment's base LSN plus an offset in its file. A record
 * is {@code [int payloadLength][int crc32c][long lsn][byte type][payload]}, little-endian, with a
 * 17-byte header; the CRC32C covers lsn, type and payload, and {@code lsn} is the record's own
 * start LSN, so a stale or misplaced record never validates. Records never span segments.
 *
 * <p>Recovery cuts a torn or garbage tail of the last segment; any other damage (a bad record
 * followed by valid ones, a bad record in an older segment, a missing segment) refuses to open.
 *
 * <p>Depends on {@code dev.duet.core} only; must not import the rest of the row store, which builds
 * on it.
 */
package dev.duet.rowstore.wal;
