/**
 * JMH benchmarks of Duet: the machine's fsync rate, durable and async commits, the embedded API's
 * point reads and inserts, and the time to open a database after a clean shutdown and after a
 * crash. Results and how to reproduce them: {@code docs/benchmarks.md}. May import any module;
 * no other module imports this one.
 */
package dev.duet.jmh;
