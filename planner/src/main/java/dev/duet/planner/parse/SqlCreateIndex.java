package dev.duet.planner.parse;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** Parse tree of {@code CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (column, ...)}. */
public final class SqlCreateIndex extends SqlCreate {
    public static final SqlOperator OPERATOR = new SqlSpecialOperator("CREATE INDEX", SqlKind.CREATE_INDEX);

    public final boolean unique;
    public final SqlIdentifier name;
    public final SqlIdentifier table;
    public final SqlNodeList columns;

    public SqlCreateIndex(SqlParserPos pos, boolean replace, boolean ifNotExists, boolean unique,
            SqlIdentifier name, SqlIdentifier table, SqlNodeList columns) {
        super(OPERATOR, pos, replace, ifNotExists);
        this.unique = unique;
        this.name = Objects.requireNonNull(name, "name is null");
        this.table = Objects.requireNonNull(table, "table is null");
        this.columns = Objects.requireNonNull(columns, "columns is null");
    }

    @Override
    public List<SqlNode> getOperandList() {
        return Arrays.asList(name, table, columns);
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword("CREATE");
        if (getReplace()) {
            writer.keyword("OR REPLACE");
        }
        if (unique) {
            writer.keyword("UNIQUE");
        }
        writer.keyword("INDEX");
        if (ifNotExists) {
            writer.keyword("IF NOT EXISTS");
        }
        name.unparse(writer, leftPrec, rightPrec);
        writer.keyword("ON");
        table.unparse(writer, leftPrec, rightPrec);
        SqlWriter.Frame frame = writer.startList("(", ")");
        for (SqlNode c : columns) {
            writer.sep(",");
            c.unparse(writer, 0, 0);
        }
        writer.endList(frame);
    }
}
