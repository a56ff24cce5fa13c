package dev.duet.core.types;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.nio.charset.StandardCharsets;

/**
 * The UTF-8 encoder and strict decoder shared by {@link RowCodec} and {@link KeyCodec}. Unlike
 * {@link String#getBytes}, it is lossless: an unpaired surrogate is written as the three-byte form
 * of its own code point (as WTF-8 does) instead of {@code '?'}, so that two different strings never
 * share an encoding, and byte order stays code point order ({@link Values#compare}). Decoding
 * rejects malformed input with {@link SqlState#DATA_CORRUPTED} instead of substituting U+FFFD.
 */
final class Utf8 {
    private Utf8() {
    }

    /** Bytes {@link #encode} writes for {@code s[from, to)}. */
    static int encodedLength(String s, int from, int to) {
        int len = to - from;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    len += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                    len += 2; // two chars, four bytes
                    i++;
                } else {
                    len += 2;
                }
            }
        }
        return len;
    }

    /** Writes {@code s[from, to)} at {@code dst[pos]}; returns the position after it. */
    static int encode(String s, int from, int to, byte[] dst, int pos) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                dst[pos++] = (byte) c;
            } else if (c < 0x800) {
                dst[pos++] = (byte) (0xC0 | (c >> 6));
                dst[pos++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                dst[pos++] = (byte) (0xF0 | (cp >> 18));
                dst[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                dst[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                dst[pos++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                dst[pos++] = (byte) (0xE0 | (c >> 12));
                dst[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                dst[pos++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return pos;
    }

    /** Decodes {@code src[off, off + len)}, which must be what {@link #encode} produces. */
    static String decode(byte[] src, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end && src[i] >= 0) {
            i++;
        }
        if (i == end) {
            // All ASCII: the JDK copies this straight into a compact Latin-1 string.
            return new String(src, off, len, StandardCharsets.ISO_8859_1);
        }
        char[] chars = new char[len];
        int n = 0;
        for (int k = off; k < i; k++) {
            chars[n++] = (char) src[k];
        }
        // Set when the previous char was a surrogate decoded from its own three bytes: a low
        // surrogate right after it would be a pair the encoder writes as four bytes (CESU-8 form).
        boolean loneHigh = false;
        while (i < end) {
            int b0 = src[i] & 0xFF;
            if (b0 < 0x80) {
                chars[n++] = (char) b0;
                i++;
                loneHigh = false;
            } else if (b0 < 0xC2) {
                throw corrupt();
            } else if (b0 < 0xE0) {
                if (i + 1 >= end) {
                    throw corrupt();
                }
                chars[n++] = (char) (((b0 & 0x1F) << 6) | continuation(src[i + 1]));
                i += 2;
                loneHigh = false;
            } else if (b0 < 0xF0) {
                if (i + 2 >= end) {
                    throw corrupt();
                }
                int c = ((b0 & 0x0F) << 12) | (continuation(src[i + 1]) << 6) | continuation(src[i + 2]);
                if (c < 0x800 || (loneHigh && Character.isLowSurrogate((char) c))) {
                    throw corrupt();
                }
                chars[n++] = (char) c;
                i += 3;
                loneHigh = Character.isHighSurrogate((char) c);
            } else if (b0 < 0xF5) {
                if (i + 3 >= end) {
                    throw corrupt();
                }
                int cp = ((b0 & 0x07) << 18) | (continuation(src[i + 1]) << 12)
                        | (continuation(src[i + 2]) << 6) | continuation(src[i + 3]);
                if (cp < 0x10000 || cp > Character.MAX_CODE_POINT) {
                    throw corrupt();
                }
                chars[n++] = Character.highSurrogate(cp);
                chars[n++] = Character.lowSurrogate(cp);
                i += 4;
                loneHigh = false;
            } else {
                throw corrupt();
            }
        }
        return new String(chars, 0, n);
    }

    private static int continuation(byte b) {
        if ((b & 0xC0) != 0x80) {
            throw corrupt();
        }
        return b & 0x3F;
    }

    private static DuetException corrupt() {
        return DuetException.of(SqlState.DATA_CORRUPTED, "stored string is not valid UTF-8");
    }
}
