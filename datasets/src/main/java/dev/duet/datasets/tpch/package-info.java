/**
 * TPC-H: the schema ({@link dev.duet.datasets.tpch.TpchSchema}), a streaming row generator over
 * {@code io.trino.tpch} ({@link dev.duet.datasets.tpch.TpchGenerator}) and a loader into a Duet
 * database ({@link dev.duet.datasets.tpch.TpchLoader}). The test-jar adds {@code DuckDbTpch}, which
 * loads identical data into DuckDB as the oracle of differential tests. Part of {@code datasets}:
 * uses {@code engine} and below; must not import {@code server}, {@code cli} or {@code jmh}.
 */
package dev.duet.datasets.tpch;
