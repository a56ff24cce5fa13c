package dev.duet.planner.parse;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.planner.PositionedException;

/**
 * One statement's text inside the text the user submitted, and the translation of parser
 * positions (line and column within the statement, as Calcite reports them; a tab is one column,
 * lines end at LF, CR or CRLF) into positions in the submitted text.
 */
public record SourceText(String fullText, int start, int end) {
    public SourceText {
        if (start < 0 || end < start || end > fullText.length()) {
            throw new IllegalArgumentException("bad span " + start + ".." + end);
        }
    }

    /** The whole of {@code text} as one statement. */
    public static SourceText of(String text) {
        return new SourceText(text, 0, text.length());
    }

    /** The statement's own text. */
    public String text() {
        return fullText.substring(start, end);
    }

    /**
     * The 0-based char index in the full text of a 1-based (line, column) within this statement;
     * clamped to the statement's end.
     */
    public int indexOf(int line, int column) {
        int i = start;
        int l = 1;
        while (l < line && i < end) {
            char c = fullText.charAt(i++);
            if (c == '\n' || (c == '\r' && (i >= end || fullText.charAt(i) != '\n'))) {
                l++;
            }
        }
        return Math.min(end, i + Math.max(0, column - 1));
    }

    /** A positioned error at the 0-based char index {@code index} of the full text. */
    public PositionedException errorAt(SqlState state, String message, int index, Throwable cause) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < index; i++) {
            char c = fullText.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= fullText.length() || fullText.charAt(i + 1) != '\n'))) {
                line++;
                lineStart = i + 1;
            }
        }
        int position = fullText.codePointCount(0, index) + 1;
        int column = fullText.codePointCount(lineStart, index) + 1;
        return new PositionedException(state, message, position, line, column, cause);
    }

    /**
     * An error at a Calcite (line, column) within this statement, or without position if the
     * line is 0 (Calcite's "no position").
     */
    public DuetException errorAt(SqlState state, String message, int line, int column, Throwable cause) {
        if (line <= 0 || column <= 0) {
            return new DuetException(state, message, cause);
        }
        return errorAt(state, message, indexOf(line, column), cause);
    }
}
