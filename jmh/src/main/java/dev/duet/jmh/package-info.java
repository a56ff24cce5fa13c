/**
 * JMH benchmarks of Duet: the machine's fsync rate, durable and async commits, the embedded API's
 * point reads and inserts, the time to open a database after a clean shutdown and after a crash,
 * Duet beside H2 and DuckDB through JDBC (and their time to a first query result), TPC-H
 * planning time, the column store (how the sync keeps up with a writer, COPY TO Parquet beside
 * DuckDB) and the TPC-H suite: Q1–Q22 on each route beside DuckDB, the load beside DuckDB's
 * Appender, Duet's memory with TPC-H loaded and queried, and the report that makes the tables of
 * docs/benchmarks.md from JMH's JSON (one command: {@code jmh/suite.sh}). Results and how to
 * reproduce them: {@code docs/benchmarks.md}. May import any module;
 * no other module imports this one.
 */
package dev.duet.jmh;
