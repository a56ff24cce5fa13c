package dev.duet.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.catalog.Catalog;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** All 22 TPC-H queries parse, validate, convert and decorrelate completely, with Duet types out. */
class TpchPlanningTest {
    private static final Catalog CATALOG = TpchCatalog.catalog();
    private static final SqlFrontEnd FRONT_END = new SqlFrontEnd();
    private static final DataType MONEY_SUM = DataType.decimal(38, 2);

    /** Result column counts of q1..q22. */
    private static final int[] COLUMNS = {10, 8, 4, 2, 2, 1, 4, 2, 3, 8, 2, 3, 2, 1, 5, 4, 1, 6, 1, 2, 2, 3};

    static IntStream queries() {
        return IntStream.rangeClosed(1, 22);
    }

    @ParameterizedTest(name = "q{0}")
    @MethodSource("queries")
    void plansWithoutCorrelation(int n) {
        List<PlannedStatement> statements = FRONT_END.planAll(TpchQueries.query(n), CATALOG);
        assertEquals(1, statements.size());
        PlannedQuery q = assertInstanceOf(PlannedQuery.class, statements.get(0));
        assertEquals(COLUMNS[n - 1], q.columns().size(), q.columnNames().toString());
        for (OutputColumn c : q.columns()) {
            assertNotNull(c.type());
            assertFalse(c.name().isEmpty());
        }
        List<String> leftovers = correlations(q.plan());
        assertTrue(leftovers.isEmpty(), () -> "q" + n + " keeps " + leftovers + "\n" + q.explain());
        assertEquals(q.plan().getRowType().getFieldCount(), q.columnTypes().size());
    }

    @Test
    void q1ResultTypesFollowDuckDb() {
        PlannedQuery q = (PlannedQuery) FRONT_END.planSingle(TpchQueries.query(1), CATALOG);
        assertEquals(List.of("l_returnflag", "l_linestatus", "sum_qty", "sum_base_price", "sum_disc_price",
                "sum_charge", "avg_qty", "avg_price", "avg_disc", "count_order"), q.columnNames());
        assertEquals(List.of(DataType.varchar(1), DataType.varchar(1), MONEY_SUM, MONEY_SUM,
                DataType.decimal(38, 4), DataType.decimal(38, 6), DataType.DOUBLE, DataType.DOUBLE,
                DataType.DOUBLE, DataType.BIGINT), q.columnTypes());
        // the date arithmetic is folded to a constant
        assertTrue(q.explain().contains("1998-09-02"), q.explain());
    }

    @Test
    void resultTypesOfOtherQueries() {
        PlannedQuery q7 = (PlannedQuery) FRONT_END.planSingle(TpchQueries.query(7), CATALOG);
        assertEquals(DataType.BIGINT, q7.columnTypes().get(2)); // extract(year ...)
        PlannedQuery q14 = (PlannedQuery) FRONT_END.planSingle(TpchQueries.query(14), CATALOG);
        assertEquals(DataType.DOUBLE, q14.columnTypes().get(0)); // decimal division
        PlannedQuery q18 = (PlannedQuery) FRONT_END.planSingle(TpchQueries.query(18), CATALOG);
        assertEquals("sum", q18.columnNames().get(5)); // an unaliased aggregate, named as PostgreSQL does
        PlannedQuery q22 = (PlannedQuery) FRONT_END.planSingle(TpchQueries.query(22), CATALOG);
        assertEquals(List.of(DataType.varchar(15), DataType.BIGINT, MONEY_SUM), q22.columnTypes());
    }

    @Test
    void existsAndInBecomeSemiAndAntiJoins() {
        String q21 = ((PlannedQuery) FRONT_END.planSingle(TpchQueries.query(21), CATALOG)).explain();
        assertTrue(q21.contains("joinType=[semi]") && q21.contains("joinType=[anti]"), q21);
        String q4 = ((PlannedQuery) FRONT_END.planSingle(TpchQueries.query(4), CATALOG)).explain();
        assertTrue(q4.contains("joinType=[semi]"), q4);
    }

    @Test
    void noCrossProductsInCommaJoins() {
        for (int n : new int[] {2, 5, 7, 8, 9, 10}) {
            String plan = ((PlannedQuery) FRONT_END.planSingle(TpchQueries.query(n), CATALOG)).explain();
            assertFalse(plan.contains("condition=[true]"), () -> "q" + n + "\n" + plan);
        }
    }

    @Test
    void q15AsShippedNeedsViewsInTheCatalog() {
        // Duet's grammar parses the CREATE VIEW, but the catalog has no views yet to query
        List<dev.duet.planner.parse.ParsedStatement> statements = FRONT_END.parse(TpchCatalog.originalQuery(15));
        assertEquals(2, statements.size());
        assertInstanceOf(dev.duet.planner.ddl.CreateView.class, FRONT_END.plan(statements.get(0), CATALOG));
        DuetException e = assertThrows(DuetException.class, () -> FRONT_END.plan(statements.get(1), CATALOG));
        assertEquals("42P01", e.sqlState());
        assertEquals("relation \"revenue\" does not exist", ((PositionedException) e).baseMessage());
    }

    /** Correlates, sub-queries and correlation variables left anywhere in the plan. */
    static List<String> correlations(RelNode plan) {
        List<String> found = new ArrayList<>();
        new RelVisitor() {
            @Override
            public void visit(RelNode node, int ordinal, RelNode parent) {
                if (node instanceof Correlate) {
                    found.add(node.getRelTypeName());
                }
                node.accept(new RexShuttle() {
                    @Override
                    public RexNode visitSubQuery(RexSubQuery subQuery) {
                        found.add(subQuery.toString());
                        return subQuery;
                    }

                    @Override
                    public RexNode visitCorrelVariable(RexCorrelVariable variable) {
                        found.add(variable.toString());
                        return variable;
                    }
                });
                super.visit(node, ordinal, parent);
            }
        }.go(plan);
        return found;
    }
}
