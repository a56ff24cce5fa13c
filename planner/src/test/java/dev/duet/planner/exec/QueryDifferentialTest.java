package dev.duet.planner.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.planner.PlannedQuery;
import dev.duet.planner.exec.plan.PlanNode;
import dev.duet.rowstore.Transaction;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whole queries through the SQL front end and the physical planner, against DuckDB: joins of
 * every type (residual conditions, NULL keys, keys of different types, no equi-key), aggregates
 * (DISTINCT, FILTER, NULLs, empty input, the statistical ones), ORDER BY with NULLS FIRST/LAST and
 * LIMIT/OFFSET, set operations, sub-queries (scalar, EXISTS, IN, NOT IN over NULLs), and
 * statement parameters. Tables {@code a} and {@code b} have NULLs in every nullable column and
 * duplicate join keys.
 */
class QueryDifferentialTest {
    private static DifferentialDatabase db;

    @BeforeAll
    static void load() {
        db = new DifferentialDatabase();
        db.createTable(TableDef.builder("a")
                .notNullColumn("id", DataType.INTEGER)
                .column("k", DataType.INTEGER)
                .column("v", DataType.varchar(20))
                .column("x", DataType.decimal(10, 2))
                .column("d", DataType.DOUBLE)
                .column("dt", DataType.DATE)
                .column("flag", DataType.BOOLEAN)
                .primaryKey("id").build(),
                "CREATE TABLE a (id INTEGER PRIMARY KEY, k INTEGER, v VARCHAR(20), x DECIMAL(10,2), d DOUBLE, "
                        + "dt DATE, flag BOOLEAN)");
        db.createTable(TableDef.builder("b")
                .notNullColumn("id", DataType.BIGINT)
                .column("k", DataType.BIGINT)
                .column("w", DataType.TEXT)
                .column("y", DataType.decimal(12, 3))
                .column("n", DataType.SMALLINT)
                .primaryKey("id").build(),
                "CREATE TABLE b (id BIGINT PRIMARY KEY, k BIGINT, w VARCHAR, y DECIMAL(12,3), n SMALLINT)");
        db.createTable(TableDef.builder("empty").notNullColumn("id", DataType.INTEGER).column("x", DataType.DOUBLE)
                .primaryKey("id").build(), "CREATE TABLE empty (id INTEGER PRIMARY KEY, x DOUBLE)");
        Random random = new Random(20261121);
        String[] words = {"apple", "pear", "plum", "fig", "kiwi", "lime", ""};
        List<Object[]> a = new ArrayList<>();
        for (int i = 1; i <= 400; i++) {
            a.add(new Object[] {i, nullOr(random, random.nextInt(40) - 5),
                    nullOr(random, words[random.nextInt(words.length)]),
                    nullOr(random, BigDecimal.valueOf(random.nextInt(200_000) - 50_000, 2)),
                    nullOr(random, Math.round(random.nextGaussian() * 1e6) / 1e3),
                    nullOr(random, LocalDate.of(2020, 1, 1).plusDays(random.nextInt(100))),
                    nullOr(random, random.nextBoolean())});
        }
        db.insert("a", a);
        List<Object[]> b = new ArrayList<>();
        for (long i = 1; i <= 300; i++) {
            b.add(new Object[] {i * 3, nullOr(random, (long) random.nextInt(50) - 10),
                    nullOr(random, words[random.nextInt(words.length)]),
                    nullOr(random, BigDecimal.valueOf(random.nextInt(2_000_000) - 500_000, 3)),
                    nullOr(random, (short) random.nextInt(10))});
        }
        db.insert("b", b);
    }

    private static <T> T nullOr(Random random, T value) {
        return random.nextInt(8) == 0 ? null : value;
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void innerAndOuterJoins() {
        for (String join : List.of("join", "left join", "right join", "full join")) {
            // INTEGER = BIGINT keys: cast to one type; NULL keys never match
            db.check("select a.id, b.id, a.k, b.k, a.v, b.w from a " + join + " b on a.k = b.k");
            // residual on both sides and across them
            db.check("select a.id, b.id, a.x, b.y from a " + join + " b on a.k = b.k and a.x > b.y and b.n < 7");
            // two keys, one an expression (cast to a common type)
            db.check("select a.id, b.id from a " + join + " b on a.k = b.k and a.v = b.w");
            db.check("select a.id, b.id from a " + join + " b on a.k + 1 = b.n");
            // conjuncts over one side: filter that side before the join only where its unmatched rows are dropped
            db.check("select a.id, b.id from a " + join + " b on a.k = b.k and a.id < 100 and b.id > 300");
            // OR of ANDs that share the equi-join conjunct: the key is pulled out of the OR
            db.check("select a.id, b.id from a " + join + " b on (a.k = b.k and a.x > 0 and b.n = 1) "
                    + "or (a.k = b.k and a.v = 'fig' and b.n > 5) or (b.k = a.k and a.id = b.n)");
            // no equi-key: nested loop, with and without residual
            db.check("select a.id, b.id from a " + join + " b on a.k < b.n - 3 and a.id < 40");
        }
        db.check("select a.id, b.id from a cross join b where a.id < 10 and b.id < 30");
        db.check("select count(*), count(b.id), sum(a.x) from a join b on a.x = b.y");
        // DECIMAL(10,2) = DECIMAL(12,3): cast to one scale
        db.check("select a.id, b.id from a join b on a.x / 10 = b.y");
        // three-way join, join order chosen by the optimizer
        db.check("select a1.id, a2.id, b.id from a a1 join b on a1.k = b.k join a a2 on a2.k = b.n where a1.id < 100");
    }

    @Test
    void semiAndAntiJoins() {
        db.check("select id, k from a where exists (select * from b where b.k = a.k)");
        db.check("select id, k from a where not exists (select * from b where b.k = a.k)");
        db.check("select id, k from a where exists (select * from b where b.k = a.k and b.y > a.x)");
        db.check("select id, k from a where not exists (select * from b where b.k = a.k and b.n <> a.id % 10)");
        db.check("select id, k from a where exists (select * from b where b.k = a.k and a.id < 50 and b.n > 2)");
        db.check("select id, k from a where not exists (select * from b where b.k = a.k and a.id < 50 and b.n > 2)");
        db.check("select id, k from a where k in (select n from b)");
        db.check("select id, k from a where (k, v) in (select k, w from b)");
        // NOT IN: UNKNOWN (so not kept) when the sub-query yields a NULL or the value is NULL
        db.check("select id, k from a where k not in (select k from b)");
        db.check("select id, k from a where k not in (select k from b where k is not null)");
        db.check("select id, k from a where k not in (select n from b where n > 20)");
        db.check("select id, k, k in (select k from b), k not in (select n from b where n is not null) from a");
    }

    @Test
    void subqueries() {
        db.check("select id, (select max(y) from b where b.k = a.k) from a");
        db.check("select id, (select count(*) from b where b.k = a.k) from a");
        db.check("select id, x from a where x > (select avg(y) from b)");
        db.check("select id, x from a where x > (select avg(y) from b where b.k = a.k)");
        db.check("select id, (select w from b where b.id = a.id * 3) from a");
        db.check("select id, (select min(id) from b) - id from a");
        // a scalar sub-query that yields two rows fails with 21000
        DuetException e = db.duetError("select id, (select w from b where b.k = a.k) from a");
        assertEquals("21000", e.sqlState());
        assertEquals("more than one row returned by a subquery used as an expression", e.getMessage());
        assertEquals("21000", db.duetError("select (select id from b) from a").sqlState());
    }

    @Test
    void aggregates() {
        db.check("select k, count(*), count(v), count(distinct v), sum(x), avg(x), min(v), max(v), min(dt), max(d) "
                + "from a group by k");
        db.check("select v, flag, sum(d), avg(d), stddev(d), stddev_samp(x), stddev_pop(d), variance(x), var_samp(d), "
                + "var_pop(x) from a group by v, flag");
        db.check("select k, bool_and(flag), bool_or(flag), every(flag) from a group by k",
                "select k, bool_and(flag), bool_or(flag), bool_and(flag) from a group by k");
        db.check("select count(*) filter (where flag), sum(x) filter (where k > 10), count(distinct k) filter (where flag), "
                + "avg(d) filter (where v like 'p%') from a");
        db.check("select sum(distinct k), avg(distinct k), count(distinct x), min(distinct v) from a");
        db.check("select n, sum(n), sum(k), avg(n), max(y) from b group by n having count(*) > 5");
        // empty input: one row for a global aggregate, none per group
        db.check("select count(*), count(x), sum(x), avg(x), min(x), stddev(x) from empty");
        db.check("select count(*), sum(k), max(v) from a where id < 0");
        db.check("select k, count(*) from a where id < 0 group by k");
        db.check("select count(*) from (select distinct k, v from a) t");
        db.check("select distinct v from a");
    }

    @Test
    void orderByLimitOffset() {
        db.checkOrdered("select id, k from a order by k, id");
        db.checkOrdered("select id, k from a order by k desc, id");
        db.checkOrdered("select id, k from a order by k nulls first, id desc");
        db.checkOrdered("select id, k from a order by k desc nulls last, id");
        db.checkOrdered("select id, v, x from a order by v, x desc, id limit 25");
        db.checkOrdered("select id, v, x from a order by v desc, x nulls first, id limit 25 offset 10");
        db.checkOrdered("select id, d from a order by d, id offset 390");
        db.checkOrdered("select k, count(*) as c from a group by k order by c desc, k nulls first");
        db.checkOrdered("select id from a order by id limit 0");
        db.check("select count(*) from (select id from a limit 17 offset 5) t");
        db.check("select count(*) from (select id from a offset 395) t");
    }

    @Test
    void setOperations() {
        for (String op : List.of("union", "union all", "intersect", "intersect all", "except", "except all")) {
            db.check("select k, v from a " + op + " select k, w from b");
            db.check("select k from a " + op + " select n from b");
            db.check("select x from a " + op + " select y from b");
        }
        db.check("select k from a union all select n from b union all select id from a where id < 5");
        db.check("select count(*), sum(k) from (select k, v from a union all select k, w from b) t");
        db.checkOrdered("select k from a union select n from b order by k desc limit 10");
    }

    @Test
    void values() {
        db.check("select * from (values (1, 'x'), (2, null), (3, 'z')) as t(p, q) join a on a.id = t.p");
        db.check("select 1 + 2, 'a' || 'b'");
    }

    @Test
    void parameters() {
        db.checkWithParameters("select id, v from a where k = ? and x > ?",
                "select id, v from a where k = 7 and x > -100", 7, new BigDecimal("-100"));
        db.checkWithParameters("select ? + 1, cast(? as text) || 'x'", "select 42, 'abcx'", 41, "abc");
        db.checkWithParameters("select id, v from a where v = ?", "select id, v from a where v = NULL", (Object) null);
        db.checkWithParameters("select count(*), sum(x) filter (where a.k > ?) from a join b on a.k = b.k and b.y < ?",
                "select count(*), sum(x) filter (where a.k > 3) from a join b on a.k = b.k and b.y < 100", 3,
                new BigDecimal("100"));
        db.checkWithParameters("select id from a order by id limit ? offset ?",
                "select id from a order by id limit 5 offset 3", 5, 3);
        db.checkWithParameters("select id from a order by id limit ?", "select id from a order by id", (Object) null);
        db.checkWithParameters("select id from a limit ? offset ?", "select id from a limit 7 offset 0", 7, null);
        assertEquals("2201W", db.duetError("select id from a order by id limit ?", -1).sqlState());
        assertEquals("2201X", db.duetError("select id from a offset ?", -1).sqlState());
        assertEquals("07001", db.duetError("select id from a where k = ?").sqlState());
    }

    /** A plan is made once and run with different parameter values, as a prepared statement is. */
    @Test
    void onePlanRunsWithEachExecutionsParameters() {
        String sql = "select a.id, b.id from a join b on a.k = b.k where a.x > ? order by a.id, b.id limit ?";
        PlanNode plan;
        try (Transaction tx = db.store().begin(true)) {
            plan = PhysicalPlanner.plan(((PlannedQuery) db.frontEnd().planSingle(sql, tx.catalog())).plan());
        }
        assertTrue(plan.explain().contains("limit=$2"), plan.explain());
        for (Object[] p : List.of(new Object[] {new BigDecimal("0"), 10}, new Object[] {new BigDecimal("500"), 3},
                new Object[] {new BigDecimal("-300"), 1000})) {
            List<Object[]> expected = db.duck("select a.id, b.id from a join b on a.k = b.k where a.x > " + p[0]
                    + " order by a.id, b.id limit " + p[1]);
            List<Object[]> actual = new ArrayList<>();
            try (Transaction tx = db.store().begin(true)) {
                QueryContext context = new QueryContext(db.allocator(), 64L << 20);
                context.setParameters(p);
                try (Operator op = plan.createOperator(context, tx)) {
                    for (VectorSchemaRoot batch = op.next(); batch != null; batch = op.next()) {
                        actual.addAll(Batches.rows(batch));
                    }
                } finally {
                    context.close();
                }
            }
            assertEquals(expected.size(), actual.size());
            for (int r = 0; r < expected.size(); r++) {
                assertEquals(((Number) expected.get(r)[0]).longValue(), ((Number) actual.get(r)[0]).longValue());
                assertEquals(((Number) expected.get(r)[1]).longValue(), ((Number) actual.get(r)[1]).longValue());
            }
        }
    }

    @Test
    void smallBatches() {
        db.setBatchSize(5);
        try {
            db.check("select a.id, b.id, a.x, b.y from a full join b on a.k = b.k and a.x > b.y");
            db.check("select k, count(*), sum(x), count(distinct v) from a group by k");
            db.checkOrdered("select id, k from a order by k desc, id limit 33 offset 4");
            db.check("select k, v from a intersect all select k, w from b");
            db.check("select id from a where k not in (select k from b)");
        } finally {
            db.setBatchSize(Operator.DEFAULT_BATCH_SIZE);
        }
    }

    @Test
    void explainShowsThePhysicalPlan() {
        try (Transaction tx = db.store().begin(true)) {
            PlanNode plan = PhysicalPlanner.plan(((PlannedQuery) db.frontEnd().planSingle(
                    "select a.v, count(*) from a join b on a.k = b.k and a.x > b.y group by a.v order by 2 desc limit 3",
                    tx.catalog())).plan());
            String explain = plan.explain();
            assertTrue(explain.startsWith("TopN(order=[$1 DESC NULLS FIRST], limit=3)"), explain);
            assertTrue(explain.contains("HashAggregate(group=[$0] aggregates=[COUNT(*) AS EXPR$1 BIGINT])"), explain);
            assertTrue(explain.contains("HashJoin(INNER, keys=") && explain.contains("residual=>("), explain);
        }
        try (Transaction tx = db.store().begin(true)) {
            // the equi-join conjunct shared by every branch of an OR makes a hash join, not a nested loop
            String explain = PhysicalPlanner.plan(((PlannedQuery) db.frontEnd().planSingle(
                    "select a.id, b.id from a join b on (a.k = b.k and a.x > 0) or (a.k = b.k and b.n > 5)",
                    tx.catalog())).plan()).explain();
            assertTrue(explain.contains("HashJoin(INNER, keys=") && !explain.contains("NestedLoop"), explain);
        }
        DuetException e = assertThrows(DuetException.class, () -> db.duet("select k, count(*) from a group by cube(k)"));
        assertEquals("0A000", e.sqlState());
    }
}
