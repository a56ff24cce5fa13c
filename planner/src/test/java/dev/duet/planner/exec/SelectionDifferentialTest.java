package dev.duet.planner.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Aggregates over the rows a filter keeps, passed on as a selection instead of compacted
 * ({@code SelectingOperator}), against DuckDB: filters keeping every row, almost every row (one
 * row in 50 dropped, in runs and alone), three quarters (the threshold), fewer (compacted), one
 * row, none; group keys of strings (short and long, NULLs), integers and none; sums, averages,
 * counts, DISTINCT, FILTER, MIN/MAX, with NULL arguments; projections computed for every row of
 * the batch, where a dropped row raises an error (division by zero) that must not be
 * reported and a kept one raises one that must; batch sizes that make the kept share vary per
 * batch.
 */
class SelectionDifferentialTest {
    private static DifferentialDatabase db;

    @BeforeAll
    static void load() {
        db = new DifferentialDatabase();
        db.createTable(TableDef.builder("t")
                .notNullColumn("id", DataType.INTEGER)
                .notNullColumn("flag", DataType.varchar(1))
                .column("name", DataType.TEXT)
                .notNullColumn("price", DataType.decimal(15, 2))
                .column("disc", DataType.decimal(15, 2))
                .column("q", DataType.BIGINT)
                .notNullColumn("d", DataType.INTEGER)
                .primaryKey("id").build(),
                "CREATE TABLE t (id INTEGER PRIMARY KEY, flag VARCHAR(1) NOT NULL, name VARCHAR, "
                        + "price DECIMAL(15,2) NOT NULL, disc DECIMAL(15,2), q BIGINT, d INTEGER NOT NULL)");
        Random random = new Random(20261122L);
        String[] flags = {"A", "N", "R", "F"};
        String[] names = {"x", "a name longer than eight bytes", "ümlaut", "", "n9"};
        List<Object[]> rows = new ArrayList<>();
        for (int i = 1; i <= 6000; i++) {
            rows.add(new Object[] {i, flags[random.nextInt(flags.length)],
                    random.nextInt(7) == 0 ? null : names[random.nextInt(names.length)],
                    BigDecimal.valueOf(random.nextLong() % 10_000_000L, 2),
                    random.nextInt(6) == 0 ? null : BigDecimal.valueOf(random.nextInt(11), 2),
                    random.nextInt(5) == 0 ? null : random.nextLong() % 1_000_000,
                    // d = 0 only in rows the filters below drop (id % 50 = 7), and in row 4999
                    i % 50 == 7 || i == 4999 ? 0 : 1 + random.nextInt(9)});
        }
        db.insert("t", rows);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    /**
     * Filters keeping all, most, three quarters, some, one and no rows; ORs selecting by their
     * operands, with NULLs, and one whose right operand would divide by zero where the left one
     * is TRUE (it must not be evaluated there).
     */
    private static final String[] FILTERS = {"id > 0", "id % 50 <> 7", "id % 50 <> 7 and id % 1000 > 20",
        "id % 4 <> 0", "id % 4 = 0", "id % 3 = 0 or q > 0", "id = 4321", "id < 0", "disc > 0.02", "name <> ''",
        "q is null or name = 'x' or disc < 0.03", "(flag = 'A' and q > 0) or (flag = 'N' and disc is null) or name like 'a%'",
        "id % 50 <> 7 or q > 0", "id < 0 or q < -2000000", "d = 0 or 100 % d > 3"};

    @ParameterizedTest
    @ValueSource(ints = {4096, 1000, 77})
    void aggregatesOverSelectedRows(int batchSize) {
        db.setBatchSize(batchSize);
        for (String where : FILTERS) {
            // Q1's shape: string keys, shared subexpressions, exact sums and averages
            db.check("select flag, sum(price), sum(price * (1 - disc)), sum(price * (1 - disc) * (1 + disc)), "
                    + "avg(price), avg(disc), count(*), count(disc) from t where (" + where + ") group by flag");
            // no projection: the filter alone below the aggregate
            db.check("select flag, count(*), sum(q), min(q), max(name) from t where (" + where + ") group by flag");
            db.check("select count(*), sum(price * disc), avg(q) from t where (" + where + ")");
            db.check("select name, d, count(distinct flag), sum(q) filter (where q > 0), min(price) from t where ("
                    + where + ") group by name, d");
            db.check("select sum(price / d), count(*) from t where d <> 0 and (" + where + ")");
        }
    }

    /**
     * A projection computed for every row of a batch whose filter keeps most rows: the rows with
     * {@code d = 0} that the filter drops would divide by zero; row 4999 is kept and must raise.
     */
    @ParameterizedTest
    @ValueSource(ints = {4096, 77})
    void errorsOfDroppedRowsAreNotRaised(int batchSize) {
        db.setBatchSize(batchSize);
        db.check("select flag, sum(price / d), sum(price * 100 / d) from t where id % 50 <> 7 and id <> 4999 group by flag");
        db.check("select sum(q * 1.5 / d) from t where id % 50 <> 7 and id <> 4999");
        db.check("select flag, count(*), sum(price * (1 - disc) / d) from t where d <> 0 group by flag");
        assertEquals("22012", db.duetError("select flag, sum(price / d) from t where id % 50 <> 7 group by flag")
                .sqlState());
        assertEquals("22012", db.duetError("select sum(q / d) from t where id % 50 <> 7").sqlState());
    }
}
