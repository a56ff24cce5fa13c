package dev.duet.planner.exec;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IN and NOT IN lists against DuckDB: string keys of every length around the eight-byte words the
 * equality test reads (0 to 17 bytes, multi-byte UTF-8, keys that are prefixes of each other, the
 * last value of a batch), short lists (each key compared with each value) and long ones (binary
 * search), integer, BIGINT, SMALLINT, DATE and narrow DECIMAL keys at their ends, NULL operands
 * (NULL, or TRUE/FALSE where the list says so), as the first conjunct, a later one (only the kept
 * rows tested, in place), and as projected values; string {@code =} and {@code <>} with a
 * constant (the same word-wise test).
 */
class InListDifferentialTest {
    private static final String[] WORDS = {"", "a", "ab", "abc", "AIR", "AIR REG", "REG AIR", "MAIL", "SHIP", "abcdefg",
        "abcdefgh", "abcdefghi", "DELIVER IN PERSON", "DELIVER IN PERSOX", "TAKE BACK RETURN", "é", "日本語テキスト",
        "abcdefgh "};
    private static DifferentialDatabase db;

    @BeforeAll
    static void load() {
        db = new DifferentialDatabase();
        db.createTable(TableDef.builder("t")
                .notNullColumn("id", DataType.INTEGER)
                .column("s", DataType.TEXT).notNullColumn("s2", DataType.TEXT)
                .column("i", DataType.INTEGER).column("b", DataType.BIGINT).column("h", DataType.SMALLINT)
                .column("dt", DataType.DATE).column("n", DataType.decimal(12, 2))
                .primaryKey("id").build(),
                "CREATE TABLE t (id INTEGER PRIMARY KEY, s VARCHAR, s2 VARCHAR NOT NULL, i INTEGER, b BIGINT, h SMALLINT, "
                        + "dt DATE, n DECIMAL(12,2))");
        Random random = new Random(11);
        int[] ints = {Integer.MIN_VALUE, -1, 0, 1, 2, 3, 5, 8, 13, 21, Integer.MAX_VALUE};
        long[] longs = {Long.MIN_VALUE, -1, 0, 1, 1L << 40, Long.MAX_VALUE};
        short[] shorts = {Short.MIN_VALUE, -1, 0, 1, Short.MAX_VALUE};
        List<Object[]> rows = new ArrayList<>();
        for (int id = 0; id < 900; id++) {
            rows.add(new Object[] {id,
                nullOr(random, WORDS[random.nextInt(WORDS.length)]), WORDS[(id * 7) % WORDS.length],
                nullOr(random, ints[random.nextInt(ints.length)]), nullOr(random, longs[random.nextInt(longs.length)]),
                nullOr(random, shorts[random.nextInt(shorts.length)]),
                nullOr(random, java.time.LocalDate.of(1994, 1, 1).plusDays(random.nextInt(5) - 2)),
                nullOr(random, BigDecimal.valueOf(random.nextInt(11) - 5, 2))});
        }
        db.insert("t", rows);
    }

    private static <T> T nullOr(Random random, T value) {
        return random.nextInt(7) == 0 ? null : value;
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static String list(String... words) {
        return IntStream.range(0, words.length).mapToObj(k -> "'" + words[k] + "'").collect(Collectors.joining(", "));
    }

    @Test
    void stringListsShortAndLongFirstAndLater() {
        for (int batch : new int[] {100, 7}) {
            db.setBatchSize(batch);
            for (int k = 0; k < WORDS.length; k++) {
                String one = list(WORDS[k]);
                String two = list(WORDS[k], WORDS[(k + 5) % WORDS.length]);
                for (String column : new String[] {"s", "s2"}) {
                    db.check("select id from t where " + column + " in (" + two + ")");
                    db.check("select id from t where " + column + " not in (" + two + ")");
                    db.check("select id from t where i >= 0 and " + column + " in (" + two + ")");
                    db.check("select id from t where " + column + " = " + one);
                    db.check("select id from t where i >= 0 and " + column + " <> " + one);
                    db.check("select id, " + column + " in (" + two + "), " + column + " = " + one + " from t");
                }
            }
        }
        db.setBatchSize(dev.duet.core.exec.Operator.DEFAULT_BATCH_SIZE);
        String many = list(WORDS);
        String nine = list(java.util.Arrays.copyOf(WORDS, 9));
        db.check("select id from t where s in (" + many + ")");
        db.check("select id from t where i > 0 and s not in (" + nine + ")");
        db.check("select id, s in (" + nine + ") from t");
        db.check("select id from t where s in ('AIR', 'AIR REG') or s is null");
        db.check("select id from t where i < 3 and (s not in ('AIR', 'MAIL') or s is null)");
    }

    @Test
    void numberListsAtTheEndsOfTheirTypes() {
        db.setBatchSize(100);
        String[] lists = {"i in (-2147483648, 1, 2147483647)", "i not in (0, 1, 2)", "i in (1, 2, 3, 5, 8, 13, 21, 34, 55)",
            "b in (-9223372036854775807 - 1, 0, 9223372036854775807)", "b not in (-1, 1099511627776)",
            "h in (-32768, 0, 32767)", "h not in (1, -1)", "dt in (date '1994-01-01', date '1993-12-30')",
            "n in (0.01, -0.05, 0.05)", "n not in (0.00, 0.02)", "i in (1, 2) or i is null", "i not in (1, 2) or i is null",
            "n in (0.01, 0.02, 0.03, 0.04, 0.05, -0.01, -0.02, -0.03, -0.04)"};
        for (String in : lists) {
            db.check("select id from t where " + in);
            db.check("select id from t where s2 >= 'a' and (" + in + ")");
            db.check("select id, " + in + " from t");
        }
    }
}
