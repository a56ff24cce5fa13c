package dev.duet.planner.exec;

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
 * The planner's rewrites for join-heavy queries against DuckDB: filters derived from OR
 * conditions across a join's inputs (TPC-H q7 and q19 shapes; every join type, NULLs in every
 * column the ORs read, a branch with nothing to derive, an empty table) and join orders chosen
 * from key-based row estimates (a snowflake of foreign-key joins, duplicates on the many sides).
 */
class PlanRewriteDifferentialTest {
    private static DifferentialDatabase db;

    @BeforeAll
    static void load() {
        db = new DifferentialDatabase();
        db.createTable(TableDef.builder("part")
                .notNullColumn("pk", DataType.INTEGER)
                .column("brand", DataType.varchar(10))
                .column("size", DataType.INTEGER)
                .column("nation", DataType.INTEGER)
                .primaryKey("pk").build(),
                "CREATE TABLE part (pk INTEGER PRIMARY KEY, brand VARCHAR(10), size INTEGER, nation INTEGER)");
        db.createTable(TableDef.builder("item")
                .notNullColumn("id", DataType.INTEGER)
                .column("pk", DataType.INTEGER)
                .column("qty", DataType.INTEGER)
                .column("mode", DataType.varchar(10))
                .column("nation", DataType.INTEGER)
                .primaryKey("id").build(),
                "CREATE TABLE item (id INTEGER PRIMARY KEY, pk INTEGER, qty INTEGER, mode VARCHAR(10), nation INTEGER)");
        db.createTable(TableDef.builder("nation")
                .notNullColumn("nk", DataType.INTEGER)
                .column("name", DataType.varchar(10))
                .column("region", DataType.INTEGER)
                .primaryKey("nk").build(),
                "CREATE TABLE nation (nk INTEGER PRIMARY KEY, name VARCHAR(10), region INTEGER)");
        db.createTable(TableDef.builder("nothing").notNullColumn("pk", DataType.INTEGER).column("brand", DataType.varchar(10))
                .primaryKey("pk").build(), "CREATE TABLE nothing (pk INTEGER PRIMARY KEY, brand VARCHAR(10))");
        Random random = new Random(20261122);
        String[] brands = {"b1", "b2", "b3", "b4"};
        String[] modes = {"air", "ship", "rail"};
        String[] names = {"france", "germany", "spain", "italy", "chile"};
        List<Object[]> nations = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            nations.add(new Object[] {i, i == 4 ? null : names[i], nullOr(random, i % 2)});
        }
        db.insert("nation", nations);
        List<Object[]> parts = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            parts.add(new Object[] {i, nullOr(random, brands[random.nextInt(brands.length)]),
                    nullOr(random, random.nextInt(20)), nullOr(random, random.nextInt(6))});
        }
        db.insert("part", parts);
        List<Object[]> items = new ArrayList<>();
        for (int i = 1; i <= 1_500; i++) {
            // keys repeat (many items per part), some match no part, some are NULL
            items.add(new Object[] {i, nullOr(random, random.nextInt(230)), nullOr(random, random.nextInt(40)),
                    nullOr(random, modes[random.nextInt(modes.length)]), nullOr(random, random.nextInt(6))});
        }
        db.insert("item", items);
    }

    private static <T> T nullOr(Random random, T value) {
        return random.nextInt(7) == 0 ? null : value;
    }

    @AfterAll
    static void close() {
        db.close();
    }

    /** TPC-H q19's shape: the join key inside every branch, each branch filtering both tables. */
    private static final String Q19_CONDITION = "(part.pk = item.pk and part.brand = 'b1' and part.size between 1 and 5 "
            + "and item.qty between 1 and 11 and item.mode in ('air', 'rail')) "
            + "or (part.pk = item.pk and part.brand = 'b2' and part.size between 1 and 10 and item.qty between 10 and 20) "
            + "or (item.pk = part.pk and part.brand = 'b3' and item.qty >= 20 and item.mode = 'ship')";

    @Test
    void orOfAndsAcrossTwoTables() {
        db.check("select item.id, part.pk, item.qty from item, part where " + Q19_CONDITION);
        db.check("select sum(item.qty), count(*) from item, part where " + Q19_CONDITION);
        // a branch with no conjunct on part: nothing is derived for part, item still is
        db.check("select item.id, part.pk from item, part where part.pk = item.pk "
                + "and ((part.brand = 'b1' and item.qty < 5) or item.mode = 'air')");
        // branches that test NULLs: a derived filter must keep the rows whose branch is TRUE
        db.check("select item.id, part.pk from item join part on item.pk = part.pk "
                + "and ((part.brand is null and item.qty is null) or (part.size > 15 and item.mode is not null))");
        // an OR whose branches read both sides in one conjunct only: nothing to derive
        db.check("select item.id, part.pk from item join part on item.pk = part.pk "
                + "and (item.qty = part.size or item.nation = part.nation)");
    }

    @Test
    void orOfAndsInOuterSemiAndAntiJoins() {
        String on = "item.pk = part.pk and ((part.brand = 'b1' and item.qty < 10) or (part.brand = 'b2' and item.qty > 30))";
        for (String join : List.of("join", "left join", "right join", "full join")) {
            db.check("select item.id, part.pk from item " + join + " part on " + on);
        }
        db.check("select item.id from item where exists (select 1 from part where " + on + ")");
        db.check("select item.id from item where not exists (select 1 from part where " + on + ")");
        db.check("select part.pk from part where not exists (select 1 from item where " + on + ")");
        db.check("select item.id, nothing.pk from item left join nothing on item.pk = nothing.pk "
                + "and ((nothing.brand = 'b1' and item.qty < 10) or (nothing.brand = 'b2' and item.qty > 30))");
        db.check("select count(*) from item, nothing where item.pk = nothing.pk "
                + "and ((nothing.brand = 'b1' and item.qty < 10) or (nothing.brand = 'b2' and item.qty > 30))");
    }

    /** TPC-H q7's shape: one table twice, an OR over the two aliases' names. */
    @Test
    void orAcrossTwoAliasesOfOneTable() {
        db.check("select n1.name, n2.name, item.qty, part.pk from item, part, nation n1, nation n2 "
                + "where item.pk = part.pk and part.nation = n1.nk and item.nation = n2.nk "
                + "and ((n1.name = 'france' and n2.name = 'germany') or (n1.name = 'germany' and n2.name = 'france'))");
        db.check("select n1.name, n2.name, count(*) from item, part, nation n1, nation n2 "
                + "where item.pk = part.pk and part.nation = n1.nk and item.nation = n2.nk "
                + "and ((n1.name = 'france' and n2.region = 1) or (n1.region = 0 and n2.name is null)) "
                + "group by n1.name, n2.name");
    }

    /** Foreign-key joins in every order of the FROM list, a many-to-many join among them. */
    @Test
    void snowflakeJoins() {
        String where = " where item.pk = part.pk and part.nation = n1.nk and item.nation = n2.nk and n1.region = n2.region";
        db.check("select n1.name, n2.name, sum(item.qty), count(*) from item, part, nation n1, nation n2" + where
                + " group by n1.name, n2.name");
        db.check("select n1.name, n2.name, sum(item.qty), count(*) from nation n2, nation n1, part, item" + where
                + " group by n1.name, n2.name");
        db.check("select part.brand, count(*) from part join item on part.pk = item.pk "
                + "join (select pk, avg(qty) as q from item group by pk) a on a.pk = part.pk where item.qty < a.q "
                + "group by part.brand");
    }

    /**
     * Equalities a tree of inner joins implies ({@code a = b and b = c} gives {@code a = c}), TPC-H
     * q5's and q9's shapes: NULLs and repeats on every side, classes of three and four columns,
     * an outer join ending the tree, a filter on the table only the implied equality links.
     */
    @Test
    void impliedEqualitiesAcrossAJoinTree() {
        String q5 = " from item, part, nation where item.nation = part.nation and part.nation = nation.nk";
        db.check("select item.id, part.pk, nation.name" + q5);
        db.check("select nation.name, count(*), sum(item.qty)" + q5 + " and nation.name in ('france', 'spain') "
                + "group by nation.name");
        db.check("select n1.name, count(*) from item, part, nation n1, nation n2 where item.nation = part.nation "
                + "and part.nation = n1.nk and n1.nk = n2.nk and n2.region = 1 group by n1.name");
        // q9: the part key of the items, of a second copy of them and of the parts
        db.check("select part.brand, count(*), sum(i2.qty) from item, part, item i2 "
                + "where item.pk = part.pk and i2.pk = item.pk and i2.nation = part.nation group by part.brand");
        db.check("select count(*), sum(item.qty) from item join part on item.nation = part.nation "
                + "left join nation on part.nation = nation.nk and nation.nk = item.nation");
        db.check("select count(*) from item join part on item.nation = part.nation "
                + "where exists (select 1 from nation where nation.nk = part.nation and nation.nk = item.nation)");
        try (Transaction tx = db.store().begin(true)) {
            PlannedQuery q = (PlannedQuery) db.frontEnd().planSingle(
                    "select count(*)" + q5, tx.catalog());
            String plan = PhysicalPlanner.plan(q.plan()).explain();
            // item and nation meet first: only the implied item.nation = nation.nk links them
            String deepest = lastSubtree(plan, "HashJoin(");
            assertTrue(deepest.contains("table=public.item") && deepest.contains("table=public.nation"), plan);
            assertTrue(!deepest.contains("table=public.part"), plan);
        }
    }

    /** TPC-H q17's shape: a correlated aggregate per key, of which a filtered table keeps few keys. */
    @Test
    void aggregatesJoinedOnAGroupKeyOfAFilteredTable() {
        // decorrelated into a join with the average per part: the aggregate reads only b1's items
        db.check("select sum(item.qty), count(*) from item, part where part.pk = item.pk and part.brand = 'b1' "
                + "and item.qty < (select 0.5 * avg(i2.qty) from item i2 where i2.pk = part.pk)");
        db.check("select part.pk, item.id from item, part where part.pk = item.pk and part.size < 4 "
                + "and item.qty >= (select max(i2.qty) - 3 from item i2 where i2.pk = part.pk)");
        // COUNT(*) and COUNT(x) per group are over all of the group's rows, NULLs included
        db.check("select part.pk, a.n, a.q from part join (select pk, count(*) as n, count(qty) as q from item group by pk) a "
                + "on a.pk = part.pk where part.brand = 'b2' and part.size > 10");
        // the key reaches the filtered table through a join's equality
        db.check("select item.id, a.m from item join part on item.pk = part.pk "
                + "join (select pk, min(qty) as m from item group by pk) a on a.pk = item.pk where part.brand is null");
        // a filter that keeps nothing, and a group key with NULLs (NULL groups never join)
        db.check("select count(*) from part join (select pk, sum(qty) as s from item group by pk) a on a.pk = part.pk "
                + "where part.brand = 'none'");
        db.check("select a.pk, a.s from nation join (select nation as pk, sum(qty) as s from item group by nation) a "
                + "on a.pk = nation.nk where nation.name like '%an%'");
    }

    /** TPC-H q18's shape: IN (an aggregate with HAVING) over a join that multiplies its rows, and EXISTS with a residual. */
    @Test
    void semiJoinsBelowJoins() {
        db.check("select part.pk, part.brand, sum(item.qty) from part, item where part.pk = item.pk "
                + "and part.pk in (select pk from item group by pk having sum(qty) > 150) group by part.pk, part.brand");
        db.check("select part.pk, item.id from part join item on part.pk = item.pk join nation on nation.nk = part.nation "
                + "where item.pk in (select pk from item where mode = 'air' and qty > 30)");
        db.check("select item.id from item join part on item.pk = part.pk where exists "
                + "(select 1 from item i2 where i2.pk = item.pk and i2.id <> item.id and i2.mode = 'rail')");
        db.check("select part.pk from part join item on part.pk = item.pk where part.pk in (select pk from nothing)");
    }

    /** The derived filters land below the join, on the scans of each table. */
    @Test
    void derivedFiltersSitOnTheScans() {
        try (Transaction tx = db.store().begin(true)) {
            PlannedQuery q = (PlannedQuery) db.frontEnd().planSingle(
                    "select item.id from item, part where " + Q19_CONDITION, tx.catalog());
            String plan = PhysicalPlanner.plan(q.plan()).explain();
            assertTrue(plan.contains("HashJoin("), plan);
            // the node right above each scan filters on that table's part of every branch
            assertTrue(parentOf(plan, "TableScan(table=public.part").contains("'b3'"), plan);
            assertTrue(parentOf(plan, "TableScan(table=public.item").contains("'ship'"), plan);
        }
    }

    /** The lines of {@code plan} from the last line containing {@code node} to the end of that node's inputs. */
    private static String lastSubtree(String plan, String node) {
        List<String> lines = plan.lines().toList();
        int at = lines.size() - 1;
        while (at >= 0 && !lines.get(at).contains(node)) {
            at--;
        }
        if (at < 0) {
            return "";
        }
        int indent = indentOf(lines.get(at));
        StringBuilder subtree = new StringBuilder(lines.get(at));
        for (int i = at + 1; i < lines.size() && indentOf(lines.get(i)) > indent; i++) {
            subtree.append('\n').append(lines.get(i));
        }
        return subtree.toString();
    }

    private static int indentOf(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** The line of {@code plan} above the first line containing {@code node}. */
    private static String parentOf(String plan, String node) {
        List<String> lines = plan.lines().toList();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).contains(node)) {
                return lines.get(i - 1);
            }
        }
        return "";
    }
}
