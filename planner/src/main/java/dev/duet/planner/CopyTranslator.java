package dev.duet.planner;

import dev.duet.core.SqlState;
import dev.duet.core.catalog.Catalog;
import dev.duet.core.catalog.TableDef;
import dev.duet.planner.ddl.DdlTranslator;
import dev.duet.planner.ddl.QualifiedName;
import dev.duet.planner.parse.SqlCopy;
import dev.duet.planner.validate.NodeError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Resolves a parsed COPY into a {@link CopyStatement}: the table (42P01) and its columns (42703),
 * the file or client stream, the options; for COPY TO, the query whose rows to write ({@code
 * SELECT columns FROM table} for a table).
 */
final class CopyTranslator {
    private CopyTranslator() {
    }

    static CopyStatement translate(SqlCopy copy, String sql, Catalog catalog,
            Function<SqlNode, PlannedQuery> planQuery) {
        String path = null;
        if (copy.target instanceof SqlIdentifier stream) {
            String expected = copy.to ? "stdout" : "stdin";
            if (!stream.isSimple() || !stream.getSimple().equalsIgnoreCase(expected)) {
                throw new NodeError(SqlState.SYNTAX_ERROR, "COPY " + (copy.to ? "TO" : "FROM")
                        + " takes a file name or " + expected.toUpperCase(Locale.ROOT), copy.target.getParserPosition());
            }
        } else {
            path = ((SqlLiteral) copy.target).getValueAs(String.class);
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < copy.options.size(); i += 2) {
            String name = ((SqlIdentifier) copy.options.get(i)).getSimple().toLowerCase(Locale.ROOT);
            SqlNode value = copy.options.get(i + 1);
            String text = value instanceof SqlIdentifier id ? id.getSimple()
                    : value instanceof SqlLiteral l && l.getValue() != null ? l.toValue() : "true";
            if (options.put(name, text) != null) {
                throw new NodeError(SqlState.SYNTAX_ERROR, "conflicting or redundant options: " + name,
                        copy.options.get(i).getParserPosition());
            }
        }
        List<String> columns = new ArrayList<>();
        if (copy.columns != null) {
            for (SqlNode c : copy.columns) {
                columns.add(((SqlIdentifier) c).getSimple());
            }
        }
        if (copy.query != null) {
            if (!copy.to) {
                throw new NodeError(SqlState.SYNTAX_ERROR, "COPY FROM takes a table, not a query",
                        copy.query.getParserPosition());
            }
            return new CopyStatement(true, planQuery.apply(copy.query), null, columns, path, options, sql);
        }
        QualifiedName name = DdlTranslator.qualified(copy.table);
        TableDef table = catalog.findTable(name.schema(), name.name());
        if (table == null) {
            throw new NodeError(SqlState.UNDEFINED_TABLE, "relation \"" + name + "\" does not exist",
                    copy.table.getParserPosition());
        }
        for (int i = 0; i < columns.size(); i++) {
            if (table.columnIndex(columns.get(i)) < 0) {
                throw new NodeError(SqlState.UNDEFINED_COLUMN, "column \"" + columns.get(i) + "\" of relation \""
                        + name + "\" does not exist", copy.columns.get(i).getParserPosition());
            }
        }
        if (!copy.to) {
            return new CopyStatement(false, null, table, columns, path, options, sql);
        }
        SqlParserPos pos = copy.getParserPosition();
        SqlNodeList selectList = new SqlNodeList(pos);
        if (columns.isEmpty()) {
            selectList.add(SqlIdentifier.star(pos));
        } else {
            copy.columns.forEach(selectList::add);
        }
        SqlSelect select = new SqlSelect(pos, null, selectList, copy.table, null, null, null, null, null, null, null,
                null, null);
        return new CopyStatement(true, planQuery.apply(select), null, columns, path, options, sql);
    }
}
