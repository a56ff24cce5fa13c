package dev.duet.planner.exec.expr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * A few byte-string constants (an IN list's keys, the constant of {@code =}) tested for equality
 * with values in native memory eight bytes at a time and without a branch on the data: each key's
 * length and words are compared with the value's, the differences ORed together. The value's
 * bytes are read whole words at a time, which may read past its end (never past the buffer's
 * readable end, {@code end}: a value too close to it takes a byte-wise test instead).
 */
final class ByteKeys {
    private final byte[][] keys;
    private final int[] lengths;
    /** Each key's bytes as native-order words, the last one zero-padded. */
    private final long[][] words;
    /** Per key, the bits of its last word that hold key bytes (when its length is not a multiple of 8). */
    private final long[] lastMasks;
    /** The bytes a test reads from a value's start: the longest key rounded up to whole words. */
    private final int reach;
    /** When every key has at most 8 bytes: each key's one word, and its length (else null). */
    private final long[] shortWords;
    private final long[] shortLengths;
    /** The bits of a word that hold its first {@code n} bytes, for n in 0..8. */
    private static final long[] PREFIX_MASKS = new long[9];

    static {
        for (int n = 0; n <= 8; n++) {
            ByteBuffer mask = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
            for (int i = 0; i < n; i++) {
                mask.put((byte) -1);
            }
            PREFIX_MASKS[n] = mask.getLong(0);
        }
    }

    ByteKeys(byte[][] keys) {
        this.keys = keys.clone();
        this.lengths = new int[keys.length];
        this.words = new long[keys.length][];
        this.lastMasks = new long[keys.length];
        int longest = 0;
        for (int k = 0; k < keys.length; k++) {
            byte[] key = keys[k];
            lengths[k] = key.length;
            longest = Math.max(longest, key.length);
            ByteBuffer padded = ByteBuffer.allocate((key.length + 7) & ~7).order(ByteOrder.nativeOrder());
            padded.put(key).rewind();
            words[k] = new long[padded.capacity() >>> 3];
            padded.asLongBuffer().get(words[k]);
            lastMasks[k] = PREFIX_MASKS[key.length & 7];
        }
        this.reach = Math.max(8, (longest + 7) & ~7);
        if (longest <= 8) {
            shortWords = new long[keys.length];
            shortLengths = new long[keys.length];
            for (int k = 0; k < keys.length; k++) {
                shortWords[k] = words[k].length == 0 ? 0 : words[k][0];
                shortLengths[k] = lengths[k];
            }
        } else {
            shortWords = null;
            shortLengths = null;
        }
    }

    /** 1 if the {@code len} bytes at {@code address} equal one of the keys, else 0; {@code end} is the first address not readable. */
    long matches(long address, int len, long end) {
        if (address + reach > end) {
            return matchesBytewise(address, len);
        }
        long hit = 0;
        if (shortWords != null) {
            // one word of the value (its first bytes, up to 8) against each key's word and length
            long v = MemoryUtil.getLong(address) & PREFIX_MASKS[Math.min(len, 8)];
            for (int k = 0; k < shortWords.length; k++) {
                hit |= Comparison.equal((v ^ shortWords[k]) | (len ^ shortLengths[k]), 0);
            }
            return hit;
        }
        for (int k = 0; k < words.length; k++) {
            long[] w = words[k];
            int length = lengths[k];
            int full = length >>> 3;
            long diff = length ^ len;
            for (int i = 0; i < full; i++) {
                diff |= MemoryUtil.getLong(address + 8L * i) ^ w[i];
            }
            if ((length & 7) != 0) {
                diff |= (MemoryUtil.getLong(address + 8L * full) ^ w[full]) & lastMasks[k];
            }
            hit |= Comparison.equal(diff, 0);
        }
        return hit;
    }

    private long matchesBytewise(long address, int len) {
        for (byte[] key : keys) {
            if (key.length == len && Utf8Bytes.compare(address, len, key) == 0) {
                return 1;
            }
        }
        return 0;
    }
}
