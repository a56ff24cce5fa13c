package dev.duet.jdbc;

import static dev.duet.jdbc.JdbcErrors.error;

import dev.duet.core.SqlState;
import dev.duet.engine.Duet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The databases the driver has open in this JVM, keyed by directory or memory name, with the
 * number of connections using each. The first connection to a URL opens the database; the last
 * one to close closes it, which releases the directory's lock file, so that another process (or a
 * later connection) can open it again.
 *
 * <p>Guarded by the class's monitor (every method is {@code static synchronized}). Opening and
 * closing a database also happen under it: a connection to a directory that is being closed waits
 * until the lock file is released instead of failing with 55006. The price is that opening one
 * database (seconds for a large directory) delays connecting to any other.
 */
final class SharedDatabases {
    /** Open databases by {@link DuetUrl#registryKey()}; guarded by the class monitor. */
    private static final Map<String, Entry> OPEN = new HashMap<>();

    private SharedDatabases() {
    }

    /** An open database and its count of connections; fields guarded by the class monitor. */
    private static final class Entry {
        final Duet duet;
        int connections;

        Entry(Duet duet) {
            this.duet = duet;
        }
    }

    /** A connection's hold on a shared database; {@link #release()} once, when the connection closes. */
    static final class Lease {
        private final String key;
        private final Entry entry;
        private boolean released; // guarded by the class monitor of SharedDatabases

        private Lease(String key, Entry entry) {
            this.key = key;
            this.entry = entry;
        }

        Duet duet() {
            return entry.duet;
        }

        /** Drops this connection's hold; closes the database if it was the last. Idempotent. */
        void release() {
            SharedDatabases.release(this);
        }
    }

    /** Opens (or joins) the database {@code url} names; the caller releases the lease when done. */
    static synchronized Lease acquire(DuetUrl url) throws SQLException {
        if (url.kind() == DuetUrl.Kind.PRIVATE_MEMORY) {
            throw new IllegalArgumentException("a private in-memory database is not shared");
        }
        String key = url.registryKey();
        Entry entry = OPEN.get(key);
        if (entry == null) {
            Duet duet;
            try {
                duet = url.kind() == DuetUrl.Kind.DIRECTORY ? Duet.open(url.directory(), url.config())
                        : Duet.inMemory(url.config());
            } catch (RuntimeException e) {
                throw JdbcErrors.translate(e);
            }
            entry = new Entry(duet);
            OPEN.put(key, entry);
        } else if (!url.agreesWith(entry.duet.config())) {
            throw error(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
                    "database %s is already open with other settings (%s); connect without options or with the same ones",
                    url.name(), entry.duet.config());
        }
        entry.connections++;
        return new Lease(key, entry);
    }

    private static synchronized void release(Lease lease) {
        if (lease.released) {
            return;
        }
        lease.released = true;
        Entry entry = lease.entry;
        if (--entry.connections == 0) {
            OPEN.remove(lease.key, entry);
            entry.duet.close();
        }
    }

    /** Number of databases open through the driver (for tests). */
    static synchronized int openCount() {
        return OPEN.size();
    }
}
