package dev.duet.planner.exec.join;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The set operations against DuckDB, whose UNION / INTERSECT [ALL] / EXCEPT [ALL] treat NULLs as equal too. */
class SetOperationDuckDbDifferentialTest extends OperatorTestBase {
    private static DuckDbOracle duck;

    @BeforeAll
    static void openDuckDb() throws SQLException {
        duck = new DuckDbOracle();
    }

    @AfterAll
    static void closeDuckDb() throws SQLException {
        duck.close();
    }

    private void compare(QueryContext ctx, List<BatchColumn> columns, List<List<Object[]>> inputs) throws SQLException {
        String[] names = {"a", "b", "c"};
        for (int i = 0; i < inputs.size(); i++) {
            duck.load(names[i], columns, inputs.get(i));
        }
        for (SetOperationSpec.Kind kind : SetOperationSpec.Kind.values()) {
            for (boolean all : new boolean[] {false, true}) {
                StringBuilder sql = new StringBuilder();
                for (int i = 0; i < inputs.size(); i++) {
                    sql.append(i == 0 ? "" : " " + (kind == SetOperationSpec.Kind.EXCEPT ? "EXCEPT" : kind.name()) + (all ? " ALL " : " "))
                            .append("SELECT * FROM ").append(names[i]);
                }
                List<List<Object>> expected = duck.query(sql.toString(), DuckDbOracle.types(columns));
                List<Operator> ops = new ArrayList<>();
                for (List<Object[]> rows : inputs) {
                    ops.add(RowSource.of(ctx, columns, rows, 97));
                }
                Operator op = kind == SetOperationSpec.Kind.UNION && all ? new UnionAllOperator(ctx, ops)
                        : new SetOperationOperator(ctx, new SetOperationSpec(kind, all), ops);
                assertSameRows(expected, drain(op), sql + " vs DuckDB");
            }
        }
    }

    @Test
    void twoAndThreeInputsWithNullsAndDuplicates() throws SQLException {
        QueryContext ctx = context(128);
        Random rnd = new Random(42);
        List<BatchColumn> columns = List.of(TestValues.column("x", DataType.INTEGER), TestValues.column("s", DataType.TEXT),
                TestValues.column("d", DataType.DATE));
        List<Object[]> a = TestValues.rows(columns, rnd, 2000, 4, 4);
        List<Object[]> b = TestValues.rows(columns, rnd, 1500, 4, 4);
        List<Object[]> c = TestValues.rows(columns, rnd, 700, 4, 4);
        compare(ctx, columns, List.of(a, b));
        compare(ctx, columns, List.of(a, b, c));
        compare(ctx, columns, List.of(a, List.of()));
    }

    @Test
    void everyColumnType() throws SQLException {
        QueryContext ctx = context(256);
        List<BatchColumn> columns = new ArrayList<>();
        for (DataType t : TestValues.allTypes()) {
            columns.add(TestValues.column("c" + columns.size(), t));
        }
        Random rnd = new Random(4242);
        List<Object[]> a = TestValues.rows(columns, rnd, 4000, 2, 3);
        List<Object[]> b = TestValues.rows(columns, rnd, 4000, 2, 3);
        compare(ctx, columns, List.of(a, b));
        // One column per type, on its own: single-column tables are the common case.
        for (DataType t : TestValues.allTypes()) {
            List<BatchColumn> one = List.of(TestValues.column("v", t));
            compare(ctx, one, List.of(TestValues.rows(one, rnd, 500, 25, 8), TestValues.rows(one, rnd, 300, 25, 8)));
        }
    }
}
