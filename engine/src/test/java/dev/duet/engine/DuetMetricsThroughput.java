package dev.duet.engine;

import dev.duet.planner.PlannedStatement;

/**
 * What the meters cost one statement: the calls a single-row auto-commit INSERT makes (statement
 * counted and timed, transaction counted, query memory peak recorded), in a loop on the default
 * {@code SimpleMeterRegistry}. Not a unit test (not run by surefire): run it with
 * {@code mvn -pl engine -am test -Dtest=DuetMetricsThroughput -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class DuetMetricsThroughput {
    @org.junit.jupiter.api.Test
    void perStatementCost() {
        try (Duet db = Duet.inMemory()) {
            DuetMetrics m = db.metrics();
            int n = 5_000_000;
            for (int round = 0; round < 3; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    long s = m.statementStarted(PlannedStatement.Kind.DML);
                    m.queryMemoryPeak(0);
                    m.committed();
                    m.statementEnded(s);
                }
                long nanos = System.nanoTime() - start;
                System.out.printf("round %d: %.1f ns per statement%n", round, (double) nanos / n);
            }
        }
    }
}
