package dev.duet.jmh;

import dev.duet.core.catalog.Catalog;
import dev.duet.core.catalog.TableDef;
import dev.duet.datasets.tpch.TpchSchema;
import dev.duet.planner.PlannedStatement;
import dev.duet.planner.SqlFrontEnd;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Planning time of a TPC-H query through {@link SqlFrontEnd#planSingle} (parse, validate, convert,
 * optimize; no execution) against the {@link TpchSchema} catalog: {@code cold} is the first plan in
 * a fresh JVM, with a new {@code SqlFrontEnd} (Calcite's class loading and static initialisation
 * included; one shot per fork), {@code warm} the average after warm-up on one front end. The query texts are the ones io.trino.tpch ships
 * ({@code io/trino/tpch/queries/qN.sql}, also used by the planner's tests); q1 and q9 parse as
 * shipped.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class TpchPlanningBenchmark extends DuetBenchmark {
    @Param({"1", "9"})
    public int query;

    private String sql;
    private Catalog catalog;
    private SqlFrontEnd frontEnd;

    @Setup(Level.Trial)
    public void prepare() {
        sql = TpchDatabases.query(query);
        Catalog c = Catalog.empty();
        for (TableDef table : TpchSchema.tables()) {
            c = c.withNewTable(table);
        }
        catalog = c;
        frontEnd = new SqlFrontEnd();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(5)
    public PlannedStatement cold() {
        // The front end's construction (Calcite's parser set-up) is part of a first plan.
        return new SqlFrontEnd().planSingle(sql, catalog);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 3, time = 2)
    public PlannedStatement warm() {
        return frontEnd.planSingle(sql, catalog);
    }
}
