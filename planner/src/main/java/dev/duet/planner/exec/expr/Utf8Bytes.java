package dev.duet.planner.exec.expr;

import org.apache.arrow.memory.util.MemoryUtil;

/**
 * UTF-8 strings in native memory (the bytes of a VARCHAR value at an address): ordering,
 * searching, counting and case mapping by code point, without decoding into Java strings. Input
 * is valid UTF-8 (the codecs guarantee it), so a byte of the form {@code 10xxxxxx} is always a
 * continuation byte and byte order is code point order.
 */
final class Utf8Bytes {
    private Utf8Bytes() {
    }

    /** Unsigned lexicographic comparison (memcmp, then shorter first). */
    static int compare(long a, int aLen, long b, int bLen) {
        int n = Math.min(aLen, bLen);
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long x = MemoryUtil.getLong(a + i);
            long y = MemoryUtil.getLong(b + i);
            if (x != y) {
                return Long.compareUnsigned(Long.reverseBytes(x), Long.reverseBytes(y));
            }
        }
        for (; i < n; i++) {
            int x = MemoryUtil.getByte(a + i) & 0xFF;
            int y = MemoryUtil.getByte(b + i) & 0xFF;
            if (x != y) {
                return x - y;
            }
        }
        return Integer.compare(aLen, bLen);
    }

    static int compare(long a, int aLen, byte[] b) {
        int n = Math.min(aLen, b.length);
        for (int i = 0; i < n; i++) {
            int x = MemoryUtil.getByte(a + i) & 0xFF;
            int y = b[i] & 0xFF;
            if (x != y) {
                return x - y;
            }
        }
        return Integer.compare(aLen, b.length);
    }

    static boolean equals(long a, int aLen, long b, int bLen) {
        if (aLen != bLen) {
            return false;
        }
        int i = 0;
        for (; i + 8 <= aLen; i += 8) {
            if (MemoryUtil.getLong(a + i) != MemoryUtil.getLong(b + i)) {
                return false;
            }
        }
        for (; i < aLen; i++) {
            if (MemoryUtil.getByte(a + i) != MemoryUtil.getByte(b + i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the bytes at {@code a} start with {@code b[from, from + len)}. */
    static boolean regionMatches(long a, byte[] b, int from, int len) {
        for (int i = 0; i < len; i++) {
            if (MemoryUtil.getByte(a + i) != b[from + i]) {
                return false;
            }
        }
        return true;
    }

    /** Number of code points. */
    static int codePoints(long a, int len) {
        int n = 0;
        for (int i = 0; i < len; i++) {
            if ((MemoryUtil.getByte(a + i) & 0xC0) != 0x80) {
                n++;
            }
        }
        return n;
    }

    /** Length of the UTF-8 sequence that starts with {@code lead}. */
    static int sequenceLength(int lead) {
        int b = lead & 0xFF;
        return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    }

    /** Byte offset of code point {@code n} (0-based), or {@code len} if there are not that many. */
    static int offsetOfCodePoint(long a, int len, long n) {
        int pos = 0;
        for (long k = 0; k < n && pos < len; k++) {
            pos += sequenceLength(MemoryUtil.getByte(a + pos));
        }
        return Math.min(pos, len);
    }

    /** Byte index of the first occurrence of {@code needle} at or after {@code from}, or -1. */
    static int indexOf(long hay, int hayLen, long needle, int needleLen, int from) {
        if (needleLen == 0) {
            return from <= hayLen ? from : -1;
        }
        byte first = MemoryUtil.getByte(needle);
        int last = hayLen - needleLen;
        for (int i = from; i <= last; i++) {
            if (MemoryUtil.getByte(hay + i) == first && equals(hay + i + 1, needleLen - 1, needle + 1, needleLen - 1)) {
                return i;
            }
        }
        return -1;
    }

    /** The code point whose sequence starts at {@code a}. */
    static int decode(long a) {
        int b0 = MemoryUtil.getByte(a) & 0xFF;
        if (b0 < 0x80) {
            return b0;
        }
        if (b0 < 0xE0) {
            return ((b0 & 0x1F) << 6) | (MemoryUtil.getByte(a + 1) & 0x3F);
        }
        if (b0 < 0xF0) {
            return ((b0 & 0x0F) << 12) | ((MemoryUtil.getByte(a + 1) & 0x3F) << 6) | (MemoryUtil.getByte(a + 2) & 0x3F);
        }
        return ((b0 & 0x07) << 18) | ((MemoryUtil.getByte(a + 1) & 0x3F) << 12)
                | ((MemoryUtil.getByte(a + 2) & 0x3F) << 6) | (MemoryUtil.getByte(a + 3) & 0x3F);
    }

    /** Writes code point {@code cp} at {@code dst}; returns the bytes written. */
    static int encode(int cp, long dst) {
        if (cp < 0x80) {
            MemoryUtil.putByte(dst, (byte) cp);
            return 1;
        }
        if (cp < 0x800) {
            MemoryUtil.putByte(dst, (byte) (0xC0 | (cp >> 6)));
            MemoryUtil.putByte(dst + 1, (byte) (0x80 | (cp & 0x3F)));
            return 2;
        }
        if (cp < 0x10000) {
            MemoryUtil.putByte(dst, (byte) (0xE0 | (cp >> 12)));
            MemoryUtil.putByte(dst + 1, (byte) (0x80 | ((cp >> 6) & 0x3F)));
            MemoryUtil.putByte(dst + 2, (byte) (0x80 | (cp & 0x3F)));
            return 3;
        }
        MemoryUtil.putByte(dst, (byte) (0xF0 | (cp >> 18)));
        MemoryUtil.putByte(dst + 1, (byte) (0x80 | ((cp >> 12) & 0x3F)));
        MemoryUtil.putByte(dst + 2, (byte) (0x80 | ((cp >> 6) & 0x3F)));
        MemoryUtil.putByte(dst + 3, (byte) (0x80 | (cp & 0x3F)));
        return 4;
    }

    /** Bytes {@link #mapCase} may write for {@code len} input bytes at most. */
    static int maxMappedLength(int len) {
        return len * 2;
    }

    /**
     * Writes the upper- or lower-case form of {@code src[0, len)} at {@code dst}, code point by code
     * point with Unicode's simple case mapping ({@code Character.toUpperCase(int)}: one code point
     * to one, so {@code ß} stays {@code ß}); returns the bytes written.
     */
    static int mapCase(long src, int len, long dst, boolean upper) {
        int out = 0;
        int i = 0;
        while (i < len) {
            byte b = MemoryUtil.getByte(src + i);
            if (b >= 0) {
                int c = b;
                if (upper ? c >= 'a' && c <= 'z' : c >= 'A' && c <= 'Z') {
                    c ^= 0x20;
                }
                MemoryUtil.putByte(dst + out++, (byte) c);
                i++;
                continue;
            }
            int cp = decode(src + i);
            i += sequenceLength(b);
            out += encode(upper ? Character.toUpperCase(cp) : Character.toLowerCase(cp), dst + out);
        }
        return out;
    }
}
