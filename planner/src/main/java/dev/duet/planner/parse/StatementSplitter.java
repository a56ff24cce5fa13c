package dev.duet.planner.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a script into statements at semicolons that are outside string literals, quoted
 * identifiers and comments. Each statement is then parsed on its own, so that a statement knows
 * its own text (for plan caches and error reports) and a script can be planned one statement at
 * a time against the catalog the previous statements produced.
 */
public final class StatementSplitter {
    private StatementSplitter() {
    }

    /** The non-blank statements of {@code sql}, without their terminating semicolons, trimmed. */
    public static List<SourceText> split(String sql) {
        List<SourceText> out = new ArrayList<>();
        int n = sql.length();
        int start = 0;
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                i = skipQuoted(sql, i, c);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else if (c == ';') {
                add(out, sql, start, i);
                start = ++i;
            } else {
                i++;
            }
        }
        add(out, sql, start, n);
        return out;
    }

    /** Index after the closing quote (a doubled quote is part of the text), or the end. */
    private static int skipQuoted(String sql, int open, char quote) {
        int i = open + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return i;
    }

    private static void add(List<SourceText> out, String sql, int start, int end) {
        while (start < end && Character.isWhitespace(sql.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(sql.charAt(end - 1))) {
            end--;
        }
        if (start < end) {
            out.add(new SourceText(sql, start, end));
        }
    }
}
