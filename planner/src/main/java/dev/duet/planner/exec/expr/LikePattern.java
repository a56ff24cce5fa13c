package dev.duet.planner.exec.expr;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * A compiled LIKE pattern matched against UTF-8 bytes in native memory. {@code %} matches any
 * sequence of characters, {@code _} exactly one character (one code point, whatever its byte
 * length), the escape character makes the next character literal. A pattern without wildcards
 * matches by one byte comparison; a pattern of literals between {@code %} only ({@code abc%},
 * {@code %abc%}, {@code %special%requests%}, {@code a%b%c}) by an anchored comparison of its first
 * and last literal where it does not start or end with {@code %}, and a search for each literal
 * after the previous one in between, which is exact because {@code %} matches any gap
 * and taking each literal's leftmost occurrence leaves the most room for the rest; patterns with
 * {@code _} by the greedy wildcard algorithm with one backtrack point, which is exact for {@code %}
 * and {@code _}. Searches look for a literal's first byte eight bytes at a time.
 */
final class LikePattern {
    private static final int ANY_CHAR = -1;
    private static final int ANY_SEQUENCE = -2;

    private enum Shape { EXACT, SEGMENTS, GENERAL }

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    /** Whether a long read from memory holds the byte at the lowest address in its lowest bits. */
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    /** Literal bytes (0..255), {@link #ANY_CHAR} or {@link #ANY_SEQUENCE}; runs of % collapsed. */
    private final int[] tokens;
    private final Shape shape;
    /** For {@link Shape#EXACT}: the pattern's bytes. */
    private final byte[] literal;
    /** For {@link Shape#SEGMENTS}: the literals between the {@code %}s, in order (none for {@code %}). */
    private final byte[][] segments;
    /** For {@link Shape#SEGMENTS}: whether the pattern starts, or ends, with {@code %}. */
    private final boolean leading;
    private final boolean trailing;

    private LikePattern(int[] tokens) {
        this.tokens = tokens;
        boolean percent = false;
        boolean anyChar = false;
        for (int t : tokens) {
            percent |= t == ANY_SEQUENCE;
            anyChar |= t == ANY_CHAR;
        }
        this.shape = anyChar ? Shape.GENERAL : percent ? Shape.SEGMENTS : Shape.EXACT;
        this.leading = tokens.length > 0 && tokens[0] == ANY_SEQUENCE;
        this.trailing = tokens.length > 0 && tokens[tokens.length - 1] == ANY_SEQUENCE;
        this.segments = shape == Shape.SEGMENTS ? segments(tokens) : null;
        this.literal = shape == Shape.EXACT ? segments(tokens)[0] : null;
    }

    /**
     * The literal runs of {@code tokens} (which hold no {@link #ANY_CHAR}), split at
     * {@link #ANY_SEQUENCE}; a pattern without {@code %} is one run, also when empty.
     */
    private static byte[][] segments(int[] tokens) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= tokens.length; i++) {
            if (i == tokens.length || tokens[i] == ANY_SEQUENCE) {
                if (i > start || tokens.length == 0) {
                    byte[] seg = new byte[i - start];
                    for (int j = start; j < i; j++) {
                        seg[j - start] = (byte) tokens[j];
                    }
                    out.add(seg);
                }
                start = i + 1;
            }
        }
        return out.toArray(new byte[0][]);
    }

    /**
     * Compiles {@code pattern}; {@code escape} is the escape character, or null for none. 22023
     * if the pattern ends with the escape character or the escape is not one character.
     */
    static LikePattern compile(String pattern, String escape) {
        int esc = -1;
        if (escape != null && !escape.isEmpty()) {
            if (escape.codePointCount(0, escape.length()) != 1) {
                throw new DuetException(SqlState.INVALID_PARAMETER_VALUE, "invalid escape string: must be one character");
            }
            esc = escape.codePointAt(0);
        }
        int[] out = new int[pattern.length() * 4 + 1];
        int n = 0;
        for (int i = 0; i < pattern.length(); ) {
            int cp = pattern.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == esc) {
                if (i >= pattern.length()) {
                    throw new DuetException(SqlState.INVALID_PARAMETER_VALUE,
                            "LIKE pattern must not end with escape character");
                }
                cp = pattern.codePointAt(i);
                i += Character.charCount(cp);
            } else if (cp == '%') {
                if (n == 0 || out[n - 1] != ANY_SEQUENCE) {
                    out[n++] = ANY_SEQUENCE;
                }
                continue;
            } else if (cp == '_') {
                out[n++] = ANY_CHAR;
                continue;
            }
            for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                out[n++] = b & 0xFF;
            }
        }
        return new LikePattern(Arrays.copyOf(out, n));
    }

    /** Whether the {@code len} bytes at {@code a} match. */
    boolean matches(long a, int len) {
        return switch (shape) {
            case EXACT -> len == literal.length && Utf8Bytes.regionMatches(a, literal, 0, len);
            case SEGMENTS -> matchSegments(a, len);
            case GENERAL -> matchGeneral(a, len);
        };
    }

    private boolean matchSegments(long a, int len) {
        byte[][] segs = segments;
        int from = 0;
        int end = len;
        int first = 0;
        int last = segs.length;
        if (!leading) {
            byte[] head = segs[first++];
            if (len < head.length || !Utf8Bytes.regionMatches(a, head, 0, head.length)) {
                return false;
            }
            from = head.length;
        }
        if (!trailing) {
            byte[] tail = segs[--last];
            if (len - from < tail.length || !Utf8Bytes.regionMatches(a + len - tail.length, tail, 0, tail.length)) {
                return false;
            }
            end = len - tail.length;
        }
        for (int i = first; i < last; i++) {
            int at = indexOf(a, from, end, segs[i]);
            if (at < 0) {
                return false;
            }
            from = at + segs[i].length;
        }
        return true;
    }

    /**
     * Where {@code lit} first occurs in the bytes at {@code a} within {@code [from, end)}, or -1.
     * Candidates for its first byte are found eight bytes at a time by the zero-byte test on
     * {@code word ^ firstByte * 0x0101..01}; a flagged byte may be a false candidate only above a
     * real one in the word's significance, so the first flagged byte in memory order is never past
     * the first real one, and every candidate is checked in full.
     */
    private static int indexOf(long a, int from, int end, byte[] lit) {
        int n = lit.length;
        if (n == 0) {
            return from <= end ? from : -1;
        }
        int lastStart = end - n;
        long pattern = (lit[0] & 0xFFL) * ONES;
        int i = from;
        while (i <= lastStart) {
            if (i + 8 <= end) {
                long x = MemoryUtil.getLong(a + i) ^ pattern;
                long found = (x - ONES) & ~x & HIGHS;
                if (found == 0) {
                    i += 8;
                    continue;
                }
                i += (LITTLE_ENDIAN ? Long.numberOfTrailingZeros(found) : Long.numberOfLeadingZeros(found)) >>> 3;
                if (i > lastStart) {
                    return -1;
                }
            } else if (MemoryUtil.getByte(a + i) != lit[0]) {
                i++;
                continue;
            }
            if (Utf8Bytes.regionMatches(a + i, lit, 0, n)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    private boolean matchGeneral(long a, int len) {
        int[] t = tokens;
        int s = 0;
        int p = 0;
        int starP = -1;
        int starS = 0;
        while (s < len) {
            if (p < t.length) {
                int tok = t[p];
                if (tok == ANY_CHAR) {
                    s += Utf8Bytes.sequenceLength(MemoryUtil.getByte(a + s));
                    p++;
                    continue;
                }
                if (tok == ANY_SEQUENCE) {
                    starP = p++;
                    starS = s;
                    continue;
                }
                if ((MemoryUtil.getByte(a + s) & 0xFF) == tok) {
                    s++;
                    p++;
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            p = starP + 1;
            starS += Utf8Bytes.sequenceLength(MemoryUtil.getByte(a + starS));
            s = starS;
        }
        while (p < t.length && t[p] == ANY_SEQUENCE) {
            p++;
        }
        return p == t.length;
    }
}
