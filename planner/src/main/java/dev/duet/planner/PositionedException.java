package dev.duet.planner;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;

/**
 * A {@link DuetException} that knows where in the SQL text it arose: the 1-based character
 * position PostgreSQL reports in its error {@code P} field, and the line and column. The message
 * ends with {@code "at line L, column C"}; {@link #baseMessage()} is the message without it, for
 * clients that show the position themselves (psql draws a caret under it).
 */
public final class PositionedException extends DuetException {
    private final String baseMessage;
    private final int position;
    private final int line;
    private final int column;

    /**
     * @param position 1-based character (code point) position in the text the caller submitted
     * @param line 1-based line of that position
     * @param column 1-based column of that position
     */
    public PositionedException(SqlState state, String baseMessage, int position, int line, int column,
            Throwable cause) {
        super(state, baseMessage + " at line " + line + ", column " + column, cause);
        if (position < 1 || line < 1 || column < 1) {
            throw new IllegalArgumentException("positions are 1-based: " + position + ", " + line + ", " + column);
        }
        this.baseMessage = baseMessage;
        this.position = position;
        this.line = line;
        this.column = column;
    }

    /** The message without the location. */
    public String baseMessage() {
        return baseMessage;
    }

    /** 1-based character position in the submitted SQL text (PostgreSQL's error position). */
    public int position() {
        return position;
    }

    /** 1-based line in the submitted SQL text. */
    public int line() {
        return line;
    }

    /** 1-based column in the submitted SQL text (a tab counts as one column). */
    public int column() {
        return column;
    }
}
