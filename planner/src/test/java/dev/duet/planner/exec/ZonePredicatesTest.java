package dev.duet.planner.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.planner.PlannedQuery;
import dev.duet.planner.SqlFrontEnd;
import dev.duet.planner.exec.plan.PlanNode;
import dev.duet.planner.exec.plan.TableScanNode;
import dev.duet.rowstore.RowStore;
import dev.duet.rowstore.RowStoreOptions;
import dev.duet.rowstore.Transaction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Which conditions of a filter become zone predicates of the scan below it, and which do not. */
class ZonePredicatesTest {
    private static RowStore store;
    private static final SqlFrontEnd FRONT_END = new SqlFrontEnd();

    @BeforeAll
    static void open() {
        store = RowStore.inMemory(RowStoreOptions.defaults().withFsync(false));
        try (Transaction tx = store.begin()) {
            tx.createTable(TableDef.builder("z").column("id", DataType.BIGINT).column("i", DataType.INTEGER)
                    .column("n", DataType.decimal(10, 2)).column("name", DataType.TEXT).column("d", DataType.DATE)
                    .column("x", DataType.DOUBLE).column("b", DataType.BOOLEAN).primaryKey("id").build());
            tx.commit();
        }
    }

    @AfterAll
    static void close() {
        store.close();
    }

    /** The zone part of the scan's description, e.g. {@code [i LT 5]}, or "" without one. */
    private static String zone(String where) {
        try (Transaction tx = store.begin(true)) {
            PlanNode plan = PhysicalPlanner.plan(((PlannedQuery) FRONT_END.planSingle(
                    "SELECT id FROM z WHERE " + where, tx.catalog())).plan(), false);
            while (!(plan instanceof TableScanNode)) {
                plan = plan.inputs().get(0);
            }
            String d = plan.describe();
            int at = d.indexOf(", zone=");
            return at < 0 ? "" : d.substring(at + ", zone=".length(), d.length() - 1);
        }
    }

    @Test
    void comparisonsWithLiteralsOfTheColumnsTypeBecomeZonePredicates() {
        assertEquals("[i LT 5]", zone("i < 5"));
        assertEquals("[i GT 5]", zone("5 < i"));
        assertEquals("[id EQ 7]", zone("id = 7"));
        assertEquals("[i GE 3, i LE 9]", zone("i BETWEEN 3 AND 9"));
        assertEquals("[n GE 1.50]", zone("n >= 1.5"));
        assertEquals("[name EQ abc]", zone("name = 'abc'"));
        assertEquals("[d LT 2024-02-01]", zone("d < DATE '2024-02-01'"));
        assertEquals("[i LT 5, name GT m]", zone("i < 5 AND name > 'm' AND b"));
    }

    @Test
    void conditionsThatCouldSkipWronglyOrCannotSkipAreLeftOut() {
        assertEquals("", zone("i < 2.5"), "the literal would be rounded to an integer");
        assertEquals("", zone("n > 1.005"), "more decimals than the column");
        assertEquals("", zone("name = 'abc '"), "trailing blanks");
        assertEquals("", zone("i < 5 OR name = 'a'"));
        assertEquals("", zone("i + 1 < 5"));
        assertEquals("", zone("b = true"));
        assertEquals("", zone("i IN (1, 2, 3)"));
    }
}
