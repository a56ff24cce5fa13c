/**
 * The embedded API ({@link dev.duet.engine.Duet}), SQL sessions ({@code dev.duet.engine.sql}) and,
 * from later issues, the JDBC driver, COPY and Parquet export, configuration and metrics. Depends
 * on the layers below (planner and the stores); must not import {@code server}, {@code cli},
 * {@code datasets} or {@code jmh}.
 */
package dev.duet.engine;
