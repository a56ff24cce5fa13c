package dev.duet.core;

import java.sql.SQLException;
import java.util.Objects;

/**
 * A user-facing error: a message saying what was wrong and where, and a {@link SqlState}. The
 * embedded API throws it as an unchecked exception; JDBC turns it into a {@link SQLException}
 * with the same SQLSTATE via {@link #toSQLException()}.
 */
public class DuetException extends RuntimeException {
    private final SqlState state;

    public DuetException(SqlState state, String message) {
        super(message);
        this.state = Objects.requireNonNull(state, "state is null");
    }

    public DuetException(SqlState state, String message, Throwable cause) {
        super(message, cause);
        this.state = Objects.requireNonNull(state, "state is null");
    }

    /** Shorthand for {@code new DuetException(state, String.format(format, args))}. */
    public static DuetException of(SqlState state, String format, Object... args) {
        return new DuetException(state, args.length == 0 ? format : String.format(format, args));
    }

    public SqlState state() {
        return state;
    }

    /** The five-character SQLSTATE, as JDBC's {@link SQLException#getSQLState()} reports it. */
    public String sqlState() {
        return state.code();
    }

    public SQLException toSQLException() {
        return new SQLException(getMessage(), state.code(), this);
    }

    @Override
    public String toString() {
        return "DuetException[" + state.code() + "]: " + getMessage();
    }
}
