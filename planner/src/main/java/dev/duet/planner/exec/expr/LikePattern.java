package dev.duet.planner.exec.expr;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * A compiled LIKE pattern matched against UTF-8 bytes in native memory. {@code %} matches any
 * sequence of characters, {@code _} exactly one character (one code point, whatever its byte
 * length), the escape character makes the next character literal. Patterns of the common shapes
 * ({@code abc}, {@code abc%}, {@code %abc}, {@code %abc%}) match by a byte comparison or search;
 * the rest by the greedy wildcard algorithm with one backtrack point, which is exact for {@code %}
 * and {@code _}.
 */
final class LikePattern {
    private static final int ANY_CHAR = -1;
    private static final int ANY_SEQUENCE = -2;

    private enum Shape { EXACT, PREFIX, SUFFIX, CONTAINS, ANYTHING, GENERAL }

    /** Literal bytes (0..255), {@link #ANY_CHAR} or {@link #ANY_SEQUENCE}; runs of % collapsed. */
    private final int[] tokens;
    private final Shape shape;
    /** For the simple shapes: the literal part. */
    private final byte[] literal;

    private LikePattern(int[] tokens) {
        this.tokens = tokens;
        int percents = 0;
        int anyChars = 0;
        for (int t : tokens) {
            if (t == ANY_SEQUENCE) {
                percents++;
            } else if (t == ANY_CHAR) {
                anyChars++;
            }
        }
        boolean leading = tokens.length > 0 && tokens[0] == ANY_SEQUENCE;
        boolean trailing = tokens.length > 0 && tokens[tokens.length - 1] == ANY_SEQUENCE;
        Shape s;
        if (anyChars > 0) {
            s = Shape.GENERAL;
        } else if (percents == 0) {
            s = Shape.EXACT;
        } else if (tokens.length == 1) {
            s = Shape.ANYTHING;
        } else if (percents == 1 && trailing) {
            s = Shape.PREFIX;
        } else if (percents == 1 && leading) {
            s = Shape.SUFFIX;
        } else if (percents == 2 && leading && trailing) {
            s = Shape.CONTAINS;
        } else {
            s = Shape.GENERAL;
        }
        this.shape = s;
        int from = leading && s != Shape.EXACT ? 1 : 0;
        int to = trailing && s != Shape.EXACT ? tokens.length - 1 : tokens.length;
        byte[] lit = new byte[Math.max(0, to - from)];
        if (s != Shape.GENERAL) {
            for (int i = from; i < to; i++) {
                lit[i - from] = (byte) tokens[i];
            }
        }
        this.literal = lit;
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
            case ANYTHING -> true;
            case EXACT -> len == literal.length && Utf8Bytes.regionMatches(a, literal, 0, len);
            case PREFIX -> len >= literal.length && Utf8Bytes.regionMatches(a, literal, 0, literal.length);
            case SUFFIX -> len >= literal.length && Utf8Bytes.regionMatches(a + len - literal.length, literal, 0, literal.length);
            case CONTAINS -> contains(a, len);
            case GENERAL -> matchGeneral(a, len);
        };
    }

    private boolean contains(long a, int len) {
        int n = literal.length;
        if (n == 0) {
            return true;
        }
        byte first = literal[0];
        for (int i = 0; i + n <= len; i++) {
            if (MemoryUtil.getByte(a + i) == first && Utf8Bytes.regionMatches(a + i, literal, 0, n)) {
                return true;
            }
        }
        return false;
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
