package dev.duet.jdbc;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

/**
 * The driver's side of the error contract: every failure leaves the driver as a
 * {@link SQLException} carrying a PostgreSQL SQLSTATE. Errors from the engine arrive as
 * {@link DuetException}s and keep their state; the driver's own checks build theirs here.
 */
final class JdbcErrors {
    private JdbcErrors() {
    }

    /** A new SQLException with {@code state} and a formatted message. */
    static SQLException error(SqlState state, String format, Object... args) {
        return DuetException.of(state, format, args).toSQLException();
    }

    /** What JDBC throws for an optional feature Duet lacks: SQLSTATE 0A000. */
    static SQLFeatureNotSupportedException notSupported(String what) {
        return new SQLFeatureNotSupportedException(what + " is not supported by Duet",
                SqlState.FEATURE_NOT_SUPPORTED.code());
    }

    /**
     * The SQLException for an exception thrown by the engine: a {@link DuetException} keeps its
     * SQLSTATE; anything else is a Duet bug and becomes XX000 (with the original as its cause).
     */
    static SQLException translate(RuntimeException e) {
        if (e instanceof DuetException d) {
            return d.toSQLException();
        }
        return new SQLException("internal error: " + e, SqlState.INTERNAL_ERROR.code(), e);
    }

    /** {@link java.sql.Wrapper#unwrap}: the object itself if it implements {@code iface}; else 22023. */
    static <T> T unwrap(Object self, Class<T> iface) throws SQLException {
        if (iface != null && iface.isInstance(self)) {
            return iface.cast(self);
        }
        throw error(SqlState.INVALID_PARAMETER_VALUE, "%s is not a wrapper for %s",
                self.getClass().getSimpleName(), iface == null ? "null" : iface.getName());
    }
}
