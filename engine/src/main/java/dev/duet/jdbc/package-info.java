/**
 * Duet's embedded JDBC driver: {@link dev.duet.jdbc.DuetDriver} ({@code jdbc:duet:} URLs), its
 * connections, statements, streaming result sets over the executor's Arrow batches, and database
 * metadata built from the catalog. Everything runs through {@link dev.duet.engine.sql.Session};
 * this package holds no SQL logic of its own. Must not import the server, the CLI or the data sets.
 */
package dev.duet.jdbc;
