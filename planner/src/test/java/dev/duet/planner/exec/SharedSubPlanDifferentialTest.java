package dev.duet.planner.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.planner.PlannedQuery;
import dev.duet.rowstore.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sub-plans read at several places of one plan and run once ({@code SharedNode}): TPC-H q15's
 * shape (an aggregate joined with a table and aggregated again for its maximum), a shared join
 * read by both sides of a self-join, by both branches of a UNION ALL, empty shared results, many
 * small batches, NULL keys — against DuckDB, with the query allocator at zero after each query.
 */
class SharedSubPlanDifferentialTest {
    private static DifferentialDatabase db;

    /** q15's shape, over a CTE that Calcite inlines at both places. */
    private static final String MAX_OF_AGGREGATE = "with rev as (select pk, sum(qty) as s from item group by pk) "
            + "select part.pk, part.brand, rev.s from part, rev where part.pk = rev.pk "
            + "and rev.s = (select max(s) from rev) order by part.pk";

    @BeforeAll
    static void load() {
        db = new DifferentialDatabase();
        db.createTable(TableDef.builder("part")
                .notNullColumn("pk", DataType.INTEGER)
                .column("brand", DataType.varchar(10))
                .primaryKey("pk").build(),
                "CREATE TABLE part (pk INTEGER PRIMARY KEY, brand VARCHAR(10))");
        db.createTable(TableDef.builder("item")
                .notNullColumn("id", DataType.INTEGER)
                .column("pk", DataType.INTEGER)
                .column("qty", DataType.INTEGER)
                .column("note", DataType.varchar(20))
                .primaryKey("id").build(),
                "CREATE TABLE item (id INTEGER PRIMARY KEY, pk INTEGER, qty INTEGER, note VARCHAR(20))");
        db.createTable(TableDef.builder("nothing").notNullColumn("pk", DataType.INTEGER).column("qty", DataType.INTEGER)
                .primaryKey("pk").build(), "CREATE TABLE nothing (pk INTEGER PRIMARY KEY, qty INTEGER)");
        Random random = new Random(20261122);
        String[] brands = {"b1", "b2", "b3"};
        List<Object[]> parts = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            parts.add(new Object[] {i, random.nextInt(6) == 0 ? null : brands[random.nextInt(brands.length)]});
        }
        db.insert("part", parts);
        List<Object[]> items = new ArrayList<>();
        for (int i = 1; i <= 3_000; i++) {
            items.add(new Object[] {i, random.nextInt(9) == 0 ? null : random.nextInt(330),
                    random.nextInt(8) == 0 ? null : random.nextInt(50),
                    random.nextInt(5) == 0 ? null : "note " + random.nextInt(1000)});
        }
        db.insert("item", items);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void aggregateJoinedAndAggregatedAgain() {
        db.checkOrdered(MAX_OF_AGGREGATE);
        db.checkOrdered("with rev as (select pk, count(*) as n, avg(qty) as a from item where qty > 10 group by pk) "
                + "select rev.pk, rev.n, rev.a from rev where rev.n >= (select avg(n) from rev) "
                + "and rev.a < (select max(a) - 5 from rev) order by rev.pk");
    }

    @Test
    void sharedJoinReadByBothSidesOfAJoin() {
        String j = "with j as (select item.id, item.qty, item.note, part.brand from item join part on item.pk = part.pk) ";
        db.check(j + "select a.id, b.id, a.note, b.brand from j a join j b on a.id = b.id + 1 and a.brand = b.brand");
        db.check(j + "select a.brand, count(*), sum(b.qty) from j a left join j b on a.qty = b.qty and a.id < b.id "
                + "and b.note like 'note 1%' group by a.brand");
    }

    @Test
    void sharedByBothBranchesOfAUnion() {
        db.check("with rev as (select pk, sum(qty) as s, max(note) as m from item group by pk) "
                + "select pk, s, m from rev where s > 100 union all select pk, s, m from rev where s < 20");
    }

    @Test
    void emptySharedResults() {
        db.check("with rev as (select pk, sum(qty) as s from nothing group by pk) "
                + "select part.pk, rev.s from part, rev where part.pk = rev.pk and rev.s = (select max(s) from rev)");
        db.check("with rev as (select pk, sum(qty) as s from item where qty > 1000 group by pk) "
                + "select count(*) from rev a, rev b where a.pk = b.pk");
    }

    @Test
    void manySmallBatches() {
        db.setBatchSize(7);
        try {
            db.checkOrdered(MAX_OF_AGGREGATE);
            db.check("with j as (select item.id, item.note, part.brand from item join part on item.pk = part.pk) "
                    + "select a.id, b.note from j a join j b on a.id = b.id where a.brand = 'b2'");
        } finally {
            db.setBatchSize(dev.duet.core.exec.Operator.DEFAULT_BATCH_SIZE);
        }
    }

    /** The aggregate of q15's shape is planned once, read at two places. */
    @Test
    void repeatedAggregateIsPlannedOnce() {
        try (Transaction tx = db.store().begin(true)) {
            PlannedQuery q = (PlannedQuery) db.frontEnd().planSingle(MAX_OF_AGGREGATE, tx.catalog());
            String plan = PhysicalPlanner.plan(q.plan()).explain();
            assertTrue(plan.startsWith("SharedScope"), plan);
            assertEquals(2, plan.lines().filter(l -> l.contains("Shared(#1, readers=2)")).count(), plan);
            // a query that reads nothing twice is planned as before
            PlannedQuery single = (PlannedQuery) db.frontEnd().planSingle(
                    "select pk, sum(qty) from item group by pk", tx.catalog());
            assertTrue(!PhysicalPlanner.plan(single.plan()).explain().contains("Shared"));
        }
    }
}
