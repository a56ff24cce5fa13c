package dev.duet.jdbc;

import dev.duet.engine.Duet;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * Duet's embedded JDBC driver, for URLs {@code jdbc:duet:mem:}, {@code jdbc:duet:mem:NAME} and
 * {@code jdbc:duet:DIR} (see {@link DuetUrl} for the options). Registered with
 * {@link DriverManager} through {@code META-INF/services/java.sql.Driver} and when this class
 * loads.
 *
 * <p>Connections to one URL in one JVM share one database; it closes, releasing its directory,
 * when the last of them closes. A private {@code jdbc:duet:mem:} database belongs to its one
 * connection. Not JDBC-compliant in the strict sense ({@link #jdbcCompliant()}): Duet's SQL is a
 * PostgreSQL-like subset without stored procedures, scrollable cursors or savepoints.
 */
public final class DuetDriver implements Driver {
    public static final int MAJOR_VERSION = 0;
    public static final int MINOR_VERSION = 1;

    static {
        try {
            DriverManager.registerDriver(new DuetDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Connects to a database described by a {@code jdbc:duet:} URL; null for other URLs (JDBC). */
    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        DuetUrl parsed = DuetUrl.parse(url, info);
        DuetConnection connection;
        if (parsed.kind() == DuetUrl.Kind.PRIVATE_MEMORY) {
            Duet duet;
            try {
                duet = Duet.inMemory(parsed.config());
            } catch (RuntimeException e) {
                throw JdbcErrors.translate(e);
            }
            connection = new DuetConnection(duet, url, duet::close);
        } else {
            SharedDatabases.Lease lease = SharedDatabases.acquire(parsed);
            connection = new DuetConnection(lease.duet(), url, lease::release);
        }
        if (parsed.readOnly()) {
            try {
                connection.setReadOnly(true);
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
        }
        return connection;
    }

    /**
     * A connection to a database opened through the embedded API ({@link Duet#connect()}). Closing
     * the connection leaves the database open: it belongs to whoever opened it.
     */
    public static Connection connect(Duet duet) throws SQLException {
        Objects.requireNonNull(duet, "duet is null");
        return new DuetConnection(duet, "jdbc:duet:(embedded)", () -> { });
    }

    @Override
    public boolean acceptsURL(String url) {
        return DuetUrl.accepts(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return DuetUrl.propertyInfo(info);
    }

    @Override
    public int getMajorVersion() {
        return MAJOR_VERSION;
    }

    @Override
    public int getMinorVersion() {
        return MINOR_VERSION;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw JdbcErrors.notSupported("java.util.logging through the driver");
    }
}
