/**
 * JMH benchmarks of Duet: the machine's fsync rate, durable and async commits, the embedded API's
 * point reads and inserts, the time to open a database after a clean shutdown and after a crash,
 * Duet beside H2 and DuckDB through JDBC (and their time to a first query result), TPC-H
 * planning time, and the column store: how the sync keeps up with a writer, TPC-H Q1/Q6 on the
 * column and the row route beside DuckDB, and COPY TO Parquet beside DuckDB. Results and how to reproduce them: {@code docs/benchmarks.md}. May import any module;
 * no other module imports this one.
 */
package dev.duet.jmh;
