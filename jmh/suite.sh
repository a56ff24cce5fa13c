#!/usr/bin/env bash
# The benchmark suite of docs/benchmarks.md ("TPC-H Q1–Q22 suite"), in one command from the
# repository root, after `mvn -B -q -o -pl jmh -am package -DskipTests`:
#
#   jmh/suite.sh [SF [OUT_DIR [extra JMH options...]]]      e.g. jmh/suite.sh 1
#
# runs at scale factor SF (default 1): TpchBenchmark (Q1-Q22 on duet, duet-column, duet-row and
# duckdb) without forks in one JVM (UnforkedRun: both databases loaded once for all 88 trials);
# then, forked as usual, TpchLoadBenchmark (Duet's load beside DuckDB's Appender) and the
# write-path benchmarks (CommitBenchmark, JdbcBenchmark, SyncBenchmark); then TpchMemoryReport at
# SF. It writes OUT_DIR (default jmh/target/suite-<UTC time>)/tpch.json, write.json, jmh.log,
# memory.md (and .log) and report.md (BenchmarkReport's tables of both JSON files, the memory
# table appended). HEAP (default 12g) is each JVM's -Xmx. Extra JMH options go to both JMH runs,
# e.g. `-p target=duet,duckdb` or `-p query=1,6`.
set -euo pipefail
invocation="jmh/suite.sh $*"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
sf=${1:-1}
out=${2:-jmh/target/suite-$(date -u +%Y%m%dT%H%M%SZ)}
shift $(( $# < 2 ? $# : 2 ))
heap=${HEAP:-12g}
jar=jmh/target/benchmarks.jar
mkdir -p "$out"
tpch=(java -cp "$jar" dev.duet.jmh.UnforkedRun "-Xmx$heap" -- 'TpchBenchmark'
      -p "sf=$sf" -rf json -rff "$out/tpch.json" "$@")
write=(java -jar "$jar" 'TpchLoadBenchmark|CommitBenchmark|JdbcBenchmark|SyncBenchmark'
       -p "sf=$sf" -jvmArgs "-Xmx$heap" -rf json -rff "$out/write.json" "$@")
{ "${tpch[@]}" && "${write[@]}"; } 2>&1 | tee "$out/jmh.log"
java -cp "$jar" dev.duet.jmh.TpchMemoryReport "$sf" "$heap" 2> "$out/memory.log" | tee "$out/memory.md"
{
    java -cp "$jar" dev.duet.jmh.BenchmarkReport --command "$invocation, i.e. ${tpch[*]}; ${write[*]}" \
        "$out/tpch.json" "$out/write.json"
    echo
    cat "$out/memory.md"
} > "$out/report.md"
echo "report: $out/report.md"
