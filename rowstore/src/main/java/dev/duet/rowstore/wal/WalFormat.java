package dev.duet.rowstore.wal;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * The on-disk format shared by {@link WalWriter} and {@link WalReader}: record layout, record
 * validation and segment file names. Kept in one place so that writer and reader cannot drift.
 */
final class WalFormat {
    /** {@code [int length][int crc32c][long lsn][byte type]}. */
    static final int HEADER_SIZE = 17;
    static final int CRC_OFFSET = 4;
    static final int LSN_OFFSET = 8;
    static final int TYPE_OFFSET = 16;
    /** Bytes covered by the CRC besides the payload: lsn and type. */
    static final int CRC_HEADER_BYTES = HEADER_SIZE - LSN_OFFSET;

    /** Largest payload: together with the segment size limit, every segment fits one array. */
    static final int MAX_PAYLOAD = 1 << 30;

    static final String SUFFIX = ".wal";
    private static final int NAME_DIGITS = 20;

    /** {@link #check} results below zero: why the bytes at a position are not a valid record. */
    static final int SHORT_HEADER = -1;
    static final int BAD_LENGTH = -2;
    static final int LSN_MISMATCH = -3;
    static final int BAD_TYPE = -4;
    static final int CRC_MISMATCH = -5;

    private WalFormat() {}

    static String segmentFileName(long baseLsn) {
        return String.format(Locale.ROOT, "%020d%s", baseLsn, SUFFIX);
    }

    /** The base LSN encoded in a segment file name, or -1 if the name is not a segment's. */
    static long parseSegmentFileName(String name) {
        if (name.length() != NAME_DIGITS + SUFFIX.length() || !name.endsWith(SUFFIX)) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < NAME_DIGITS; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
            if (value < 0) {
                return -1;
            }
        }
        return value;
    }

    /** Base LSNs of the segment files in {@code dir}, ascending; empty if the directory is missing. */
    static long[] listSegments(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return new long[0];
        }
        long[] bases = new long[8];
        int count = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                long base = parseSegmentFileName(file.getFileName().toString());
                if (base >= 0 && Files.isRegularFile(file)) {
                    if (count == bases.length) {
                        bases = Arrays.copyOf(bases, count * 2);
                    }
                    bases[count++] = base;
                }
            }
        }
        bases = Arrays.copyOf(bases, count);
        Arrays.sort(bases);
        return bases;
    }

    /**
     * Makes the creation or deletion of files in {@code dir} durable. An interrupt closes the
     * channel mid-force; the force is simply repeated, because interrupting a committer must not
     * turn into a failed log.
     */
    static void syncDirectory(Path dir) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
                    channel.force(true);
                    return;
                } catch (ClosedByInterruptException e) {
                    interrupted = true;
                    Thread.interrupted();
                } catch (IOException e) {
                    if (isWindows()) {
                        // Windows cannot open a directory as a channel; NTFS journals its metadata.
                        return;
                    }
                    throw e;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /**
     * Checks the record that would start at offset {@code p} of a segment whose bytes are {@code
     * data[0, size)}: returns its total length (header + payload) if it is valid, otherwise one of
     * the negative reason codes.
     */
    static int check(byte[] data, int size, int p, long segmentBase, CRC32C crc) {
        if (size - p < HEADER_SIZE) {
            return SHORT_HEADER;
        }
        int length = getInt(data, p);
        if (length < 0 || length > size - p - HEADER_SIZE) {
            return BAD_LENGTH;
        }
        if (getLong(data, p + LSN_OFFSET) != segmentBase + p) {
            return LSN_MISMATCH;
        }
        if (data[p + TYPE_OFFSET] <= 0) {
            return BAD_TYPE;
        }
        crc.reset();
        crc.update(data, p + LSN_OFFSET, CRC_HEADER_BYTES + length);
        if ((int) crc.getValue() != getInt(data, p + CRC_OFFSET)) {
            return CRC_MISMATCH;
        }
        return HEADER_SIZE + length;
    }

    static String describe(int checkResult) {
        return switch (checkResult) {
            case SHORT_HEADER -> "incomplete record header at end of file";
            case BAD_LENGTH -> "record length is negative or runs past the end of the file";
            case LSN_MISMATCH -> "lsn field does not match the record's position";
            case BAD_TYPE -> "invalid record type";
            case CRC_MISMATCH -> "CRC32C mismatch";
            default -> throw new IllegalArgumentException("not a failure code: " + checkResult);
        };
    }

    static int getInt(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }

    static long getLong(byte[] b, int i) {
        return (getInt(b, i) & 0xffffffffL) | (long) getInt(b, i + 4) << 32;
    }

    static void putLong(byte[] b, int i, long v) {
        for (int k = 0; k < 8; k++) {
            b[i + k] = (byte) (v >>> (8 * k));
        }
    }
}
