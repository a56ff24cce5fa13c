package dev.duet.planner.validate;

import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.apache.calcite.sql.util.SqlOperatorTables;

/**
 * The functions and operators SQL may call: Duet's own ({@link DuetFunctions}, first, so that
 * they win over a library function of the same name), Calcite's standard table and its
 * PostgreSQL library (ILIKE, {@code ::}, date_part, PostgreSQL's substr and to_char, ...). The
 * BigQuery library stays off: its {@code DATE_TRUNC(ts, unit)} contradicts PostgreSQL's order.
 */
public final class DuetOperatorTable {
    /** Shared, immutable. */
    public static final SqlOperatorTable INSTANCE = new CaseInsensitiveOperatorTable(SqlOperatorTables.chain(
            SqlOperatorTables.of(DuetFunctions.ALL),
            SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(SqlLibrary.STANDARD, SqlLibrary.POSTGRESQL)));

    private DuetOperatorTable() {
    }
}
