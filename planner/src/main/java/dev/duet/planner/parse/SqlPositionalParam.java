package dev.duet.planner.parse;

import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * PostgreSQL's {@code $n} parameter: a dynamic parameter with index n - 1 that may appear several
 * times and in any order. Its own class only so that a statement mixing {@code $n} with
 * {@code ?} can be refused.
 */
public final class SqlPositionalParam extends SqlDynamicParam {
    public SqlPositionalParam(int index, SqlParserPos pos) {
        super(index, pos);
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.print("$" + (getIndex() + 1));
        writer.setNeedWhitespace(true);
    }
}
