package dev.duet.planner.validate;

import java.util.List;
import java.util.Objects;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.validate.SqlNameMatcher;
import org.apache.calcite.sql.validate.SqlNameMatchers;

/**
 * Looks up operators ignoring case. The parser folds unquoted names to lower case and the
 * validator matches names case-sensitively (as tables and columns need), but Calcite registers
 * its functions in upper case: without this wrapper {@code date_part(...)} or {@code substr(...)}
 * would not be found.
 */
public final class CaseInsensitiveOperatorTable implements SqlOperatorTable {
    private static final SqlNameMatcher IGNORE_CASE = SqlNameMatchers.withCaseSensitive(false);

    private final SqlOperatorTable delegate;

    public CaseInsensitiveOperatorTable(SqlOperatorTable delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate is null");
    }

    @Override
    public void lookupOperatorOverloads(SqlIdentifier opName, SqlFunctionCategory category, SqlSyntax syntax,
            List<SqlOperator> operatorList, SqlNameMatcher nameMatcher) {
        delegate.lookupOperatorOverloads(opName, category, syntax, operatorList, IGNORE_CASE);
    }

    @Override
    public List<SqlOperator> getOperatorList() {
        return delegate.getOperatorList();
    }
}
