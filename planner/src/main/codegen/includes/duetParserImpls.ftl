<#--
  Duet's additions to Calcite's grammar. Included into the generated Parser.jj by FMPP; the hooks
  that call each production are listed in ../config.fmpp.
-->

// ---- transactions and session settings (PostgreSQL) ------------------------------------------

/** BEGIN [WORK | TRANSACTION] [mode, ...] | START TRANSACTION [mode, ...] */
SqlNode DuetSqlBegin() :
{
    final Span s;
    SqlNodeList modes = SqlNodeList.EMPTY;
}
{
    (
        <BEGIN> { s = span(); } [ <WORK> | <TRANSACTION> ]
    |
        <START> { s = span(); } <TRANSACTION>
    )
    [ modes = DuetTransactionModes() ]
    {
        // the cast picks createCall(pos, SqlNode...): SqlNodeList is also a List of operands
        return SqlBegin.OPERATOR.createCall(s.end(this), (SqlNode) modes);
    }
}

/** COMMIT [WORK | TRANSACTION] [AND [NO] CHAIN] | END [WORK | TRANSACTION] */
SqlNode DuetSqlCommit() :
{
    final Span s;
    TransactionChainingMode mode = TransactionChainingMode.AND_NO_CHAIN;
}
{
    ( <COMMIT> | <END> ) { s = span(); }
    [ <WORK> | <TRANSACTION> ]
    [ mode = DuetChainingMode() ]
    {
        final SqlParserPos pos = s.end(this);
        return SqlCommit.OPERATOR.createCall(pos, mode.symbol(pos));
    }
}

/** ROLLBACK [WORK | TRANSACTION] [AND [NO] CHAIN] */
SqlNode DuetSqlRollback() :
{
    final Span s;
    TransactionChainingMode mode = TransactionChainingMode.AND_NO_CHAIN;
}
{
    <ROLLBACK> { s = span(); }
    [ <WORK> | <TRANSACTION> ]
    [ mode = DuetChainingMode() ]
    {
        final SqlParserPos pos = s.end(this);
        return SqlRollback.OPERATOR.createCall(pos, mode.symbol(pos));
    }
}

TransactionChainingMode DuetChainingMode() :
{
    TransactionChainingMode mode = TransactionChainingMode.AND_CHAIN;
}
{
    <AND> [ <NO> { mode = TransactionChainingMode.AND_NO_CHAIN; } ] <CHAIN>
    {
        return mode;
    }
}

SqlNodeList DuetTransactionModes() :
{
    final Span s;
    final List<SqlNode> list = new ArrayList<SqlNode>();
    SqlNode e;
}
{
    e = DuetTransactionMode() { s = span(); list.add(e); }
    ( <COMMA> e = DuetTransactionMode() { list.add(e); } )*
    {
        return new SqlNodeList(list, s.end(this));
    }
}

SqlNode DuetTransactionMode() :
{
    final Span s;
    final TransactionMode mode;
}
{
    (
        <READ> { s = span(); }
        ( <WRITE> { mode = TransactionMode.READ_WRITE; } | <ONLY> { mode = TransactionMode.READ_ONLY; } )
    |
        <DEFERRABLE> { s = span(); mode = TransactionMode.DEFERRABLE; }
    |
        <NOT> { s = span(); } <DEFERRABLE> { mode = TransactionMode.NOT_DEFERRABLE; }
    |
        <ISOLATION> { s = span(); } <LEVEL>
        (
            <SERIALIZABLE> { mode = TransactionMode.ISOLATION_LEVEL_SERIALIZABLE; }
        |
            <REPEATABLE> <READ> { mode = TransactionMode.ISOLATION_LEVEL_REPEATABLE_READ; }
        |
            <READ>
            (
                <COMMITTED> { mode = TransactionMode.ISOLATION_LEVEL_READ_COMMITTED; }
            |
                <UNCOMMITTED> { mode = TransactionMode.ISOLATION_LEVEL_READ_UNCOMMITTED; }
            )
        )
    )
    {
        return mode.symbol(s.end(this));
    }
}

/** SHOW name | SHOW ALL | SHOW TIME ZONE | SHOW TRANSACTION ISOLATION LEVEL */
SqlNode DuetSqlShow() :
{
    final Span s;
    final String name;
    final SqlIdentifier id;
}
{
    <SHOW> { s = span(); }
    (
        <ALL> { name = "all"; }
    |
        <TIME> <ZONE> { name = "timezone"; }
    |
        <TRANSACTION> <ISOLATION> <LEVEL> { name = "transaction_isolation"; }
    |
        id = CompoundIdentifier() { name = id.toString(); }
    )
    {
        return SqlShow.OPERATOR.createCall(null, s.end(this), new SqlIdentifier(name, getPos()));
    }
}

/** DISCARD { ALL | PLANS | SEQUENCES | TEMPORARY | TEMP } */
SqlNode DuetSqlDiscard() :
{
    final Span s;
}
{
    <DISCARD> { s = span(); }
    ( <ALL> | <PLANS> | <SEQUENCES> | <TEMPORARY> | <TEMP> )
    {
        return SqlDiscard.OPERATOR.createCall(s.end(this),
            new SqlIdentifier(token.image.toUpperCase(Locale.ROOT), getPos()));
    }
}

/**
 * SET [SESSION | LOCAL] name { TO | = } value [, value ...]
 * | SET [SESSION | LOCAL] TIME ZONE { value | LOCAL | DEFAULT }
 * | SET [SESSION | LOCAL] TRANSACTION mode [, ...]
 * | RESET { name | ALL }
 */
SqlAlter DuetSqlSetOption(Span s, String scope) :
{
    String sc = scope;
    SqlNode name;
    SqlNode value = null;
}
{
    (
        <SET> { s.add(this); }
        [ <SESSION> { sc = "SESSION"; } | <LOCAL> { sc = "LOCAL"; } ]
        (
            <TIME> <ZONE> { name = SqlSetOptions.Names.TIME_ZONE.symbol(getPos()); }
            (
                value = Default()
            |
                <LOCAL> { value = SqlSetOptions.Values.LOCAL.symbol(getPos()); }
            |
                value = Literal()
            )
        |
            <TRANSACTION> { name = SqlSetOptions.Names.TRANSACTION.symbol(getPos()); }
            value = DuetTransactionModes()
        |
            name = CompoundIdentifier() ( <EQ> | <TO> ) value = DuetSetValues()
        )
    |
        <RESET> { s.add(this); }
        (
            <ALL> { name = SqlSetOptions.Names.ALL.symbol(getPos()); }
        |
            name = CompoundIdentifier()
        )
    )
    {
        return new SqlSetOption(s.end(this), sc, name, value);
    }
}

SqlNode DuetSetValues() :
{
    final Span s;
    final List<SqlNode> list = new ArrayList<SqlNode>();
    SqlNode e;
}
{
    e = DuetSetValue() { s = span(); list.add(e); }
    ( <COMMA> e = DuetSetValue() { list.add(e); } )*
    {
        return list.size() == 1 ? e : new SqlNodeList(list, s.end(this));
    }
}

SqlNode DuetSetValue() :
{
    final SqlNode e;
}
{
    (
        e = Default()
    |
        e = Literal()
    |
        e = SimpleIdentifier()
    |
        <ON> { e = new SqlIdentifier("ON", getPos()); }
    )
    {
        return e;
    }
}

// ---- EXPLAIN -----------------------------------------------------------------------------------

/**
 * EXPLAIN [ANALYZE] statement, PostgreSQL's form, and Calcite's EXPLAIN PLAN [level] [depth]
 * [AS format] FOR statement. This production takes every EXPLAIN (statement methods are tried
 * before Calcite's own EXPLAIN, which it therefore replaces).
 */
SqlNode DuetSqlExplain() :
{
    final Span s;
    boolean analyze = false;
    SqlNode stmt;
    SqlExplainLevel detailLevel = SqlExplainLevel.EXPPLAN_ATTRIBUTES;
    SqlExplain.Depth depth;
    SqlExplainFormat format = SqlExplainFormat.TEXT;
}
{
    <EXPLAIN> { s = span(); }
    (
        <PLAN>
        [ detailLevel = ExplainDetailLevel() ]
        depth = ExplainDepth()
        [
            <AS>
            (
                <XML> { format = SqlExplainFormat.XML; }
            |
                <JSON> { format = SqlExplainFormat.JSON; }
            |
                <DOT_FORMAT> { format = SqlExplainFormat.DOT; }
            )
        ]
        <FOR> stmt = SqlQueryOrDml() {
            return new SqlExplain(s.end(this), stmt, detailLevel.symbol(SqlParserPos.ZERO),
                depth.symbol(SqlParserPos.ZERO), format.symbol(SqlParserPos.ZERO), nDynamicParams);
        }
    |
        (
            LOOKAHEAD(2)
            <LPAREN> analyze = DuetExplainOption()
            ( <COMMA> analyze = DuetExplainOption() )*
            <RPAREN>
        |
            [ <ANALYZE> { analyze = true; } ]
        )
        stmt = SqlQueryOrDml() {
            return new SqlExplainStatement(s.end(this), stmt, analyze);
        }
    )
}

/**
 * One option of PostgreSQL's EXPLAIN (option [value], ...): ANALYZE [boolean]; returns whether
 * the statement is analyzed after it (the last ANALYZE wins). Other options fail.
 */
boolean DuetExplainOption() :
{
    SqlIdentifier other;
    boolean value = true;
}
{
    (
        <ANALYZE> [ value = DuetExplainBoolean() ] { return value; }
    |
        other = SimpleIdentifier() {
            throw new ParseException("EXPLAIN option " + other.getSimple().toUpperCase(Locale.ROOT)
                + " is not supported (only ANALYZE)");
        }
    )
}

/** A boolean option value as PostgreSQL takes it: TRUE, FALSE, ON, OFF, 1, 0. */
boolean DuetExplainBoolean() :
{
    SqlIdentifier word;
    SqlNode number;
}
{
    <TRUE> { return true; }
|
    <FALSE> { return false; }
|
    <ON> { return true; }
|
    number = UnsignedNumericLiteral() {
        String n = ((SqlLiteral) number).toValue();
        if (n.equals("1")) {
            return true;
        }
        if (n.equals("0")) {
            return false;
        }
        throw new ParseException("EXPLAIN option ANALYZE requires a Boolean value, not " + n);
    }
|
    word = SimpleIdentifier() {
        String w = word.getSimple().toLowerCase(Locale.ROOT);
        if (w.equals("off") || w.equals("no")) {
            return false;
        }
        if (w.equals("yes")) {
            return true;
        }
        throw new ParseException("EXPLAIN option ANALYZE requires a Boolean value, not " + word.getSimple());
    }
}

// ---- COPY --------------------------------------------------------------------------------------

/**
 * COPY table [(column, ...)] { FROM | TO } { file-name-string | STDIN | STDOUT } [[WITH] (option [value], ...)]
 * or COPY (query) TO { file-name-string | STDOUT } [[WITH] (option [value], ...)]
 */
SqlNode DuetSqlCopy() :
{
    final List<SqlNode> copyOptions = new ArrayList<SqlNode>();
    final Span s;
    SqlIdentifier table = null;
    SqlNodeList columns = null;
    SqlNode query = null;
    final boolean toTarget;
    final SqlNode copyTarget;
}
{
    <COPY> { s = span(); }
    (
        <LPAREN> query = SqlQueryOrDml() <RPAREN>
    |
        table = CompoundIdentifier() [ columns = ParenthesizedSimpleIdentifierList() ]
    )
    ( <TO> { toTarget = true; } | <FROM> { toTarget = false; } )
    ( copyTarget = StringLiteral() | copyTarget = SimpleIdentifier() )
    [
        [ <WITH> ]
        <LPAREN> DuetCopyOption(copyOptions) ( <COMMA> DuetCopyOption(copyOptions) )* <RPAREN>
    ]
    {
        return new SqlCopy(s.end(this), table, columns, query, toTarget, copyTarget,
            new SqlNodeList(copyOptions, SqlParserPos.ZERO));
    }
}

/** An option of COPY: a name, and a value unless it is a flag (HEADER). Adds both, or name and NULL. */
void DuetCopyOption(List<SqlNode> list) :
{
    final SqlIdentifier name;
    SqlNode value = null;
}
{
    name = SimpleIdentifier()
    [
        value = StringLiteral()
    |
        value = NumericLiteral()
    |
        value = SimpleIdentifier()
    |
        <TRUE> { value = SqlLiteral.createBoolean(true, getPos()); }
    |
        <FALSE> { value = SqlLiteral.createBoolean(false, getPos()); }
    ]
    {
        list.add(name);
        list.add(value == null ? SqlLiteral.createNull(name.getParserPosition()) : value);
    }
}

// ---- CREATE / DROP -----------------------------------------------------------------------------

boolean DuetIfNotExists() :
{
}
{
    LOOKAHEAD(3) <IF> <NOT> <EXISTS> { return true; }
|
    { return false; }
}

boolean DuetIfExists() :
{
}
{
    LOOKAHEAD(2) <IF> <EXISTS> { return true; }
|
    { return false; }
}

/**
 * CREATE TABLE [IF NOT EXISTS] name ( element [, ...] ) | CREATE TABLE [IF NOT EXISTS] name AS query,
 * where an element is a column "name type [NOT NULL | NULL | DEFAULT expr | PRIMARY KEY | UNIQUE]..."
 * or a table constraint "[CONSTRAINT name] { PRIMARY KEY | UNIQUE } (column, ...)".
 * A column-level PRIMARY KEY becomes a table-level one on that column.
 */
SqlCreate DuetSqlCreateTable(Span s, boolean replace) :
{
    final boolean ifNotExists;
    final SqlIdentifier id;
    final List<SqlNode> elements = new ArrayList<SqlNode>();
    SqlNodeList columnList = null;
    SqlNode query = null;
    final Span ls;
}
{
    <TABLE> ifNotExists = DuetIfNotExists() id = CompoundIdentifier()
    (
        <LPAREN> { ls = span(); }
        DuetTableElement(elements)
        ( <COMMA> DuetTableElement(elements) )*
        <RPAREN> { columnList = new SqlNodeList(elements, ls.end(this)); }
    |
        <AS> query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY)
    )
    {
        return SqlDdlNodes.createTable(s.end(this), replace, ifNotExists, id, columnList, query);
    }
}

void DuetTableElement(List<SqlNode> list) :
{
    final SqlIdentifier id;
    final SqlDataTypeSpec type;
    SqlIdentifier name = null;
    final SqlNodeList columns;
    boolean nullable = true;
    boolean primary = false;
    boolean unique = false;
    SqlNode defaultValue = null;
    final Span s = Span.of();
}
{
    (
        LOOKAHEAD(2) <CONSTRAINT> { s.add(this); } name = SimpleIdentifier()
        DuetKeyConstraint(list, s, name)
    |
        LOOKAHEAD(2) DuetKeyConstraint(list, s, null)
    |
        id = SimpleIdentifier() { s.add(id); }
        type = DataType()
        (
            <NOT> <NULL> { nullable = false; }
        |
            <NULL> { nullable = true; }
        |
            <DEFAULT_> defaultValue = Expression(ExprContext.ACCEPT_SUB_QUERY)
        |
            <PRIMARY> <KEY> { primary = true; nullable = false; }
        |
            <UNIQUE> { unique = true; }
        )*
        {
            final SqlParserPos pos = s.end(this);
            list.add(SqlDdlNodes.column(pos, id, type.withNullable(nullable), defaultValue,
                defaultValue != null ? ColumnStrategy.DEFAULT
                    : nullable ? ColumnStrategy.NULLABLE : ColumnStrategy.NOT_NULLABLE));
            if (primary) {
                list.add(SqlKeyConstraint.primary(pos, null, new SqlNodeList(List.of(id), id.getParserPosition())));
            }
            if (unique) {
                list.add(SqlKeyConstraint.unique(pos, null, new SqlNodeList(List.of(id), id.getParserPosition())));
            }
        }
    )
}

void DuetKeyConstraint(List<SqlNode> list, Span s, SqlIdentifier name) :
{
    final SqlNodeList columns;
}
{
    <PRIMARY> { s.add(this); } <KEY> columns = ParenthesizedSimpleIdentifierList() {
        list.add(SqlKeyConstraint.primary(s.end(this), name, columns));
    }
|
    <UNIQUE> { s.add(this); } columns = ParenthesizedSimpleIdentifierList() {
        list.add(SqlKeyConstraint.unique(s.end(this), name, columns));
    }
}

/** CREATE [OR REPLACE] VIEW name [(column, ...)] AS query */
SqlCreate DuetSqlCreateView(Span s, boolean replace) :
{
    final SqlIdentifier id;
    SqlNodeList columnList = null;
    final SqlNode query;
}
{
    <VIEW> id = CompoundIdentifier()
    [ columnList = ParenthesizedSimpleIdentifierList() ]
    <AS> query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY)
    {
        return SqlDdlNodes.createView(s.end(this), replace, id, columnList, query);
    }
}

/** CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (column, ...) */
SqlCreate DuetSqlCreateIndex(Span s, boolean replace) :
{
    boolean unique = false;
    final boolean ifNotExists;
    final SqlIdentifier name;
    final SqlIdentifier table;
    final SqlNodeList columns;
}
{
    [ <UNIQUE> { unique = true; } ]
    <INDEX> ifNotExists = DuetIfNotExists() name = SimpleIdentifier()
    <ON> table = CompoundIdentifier()
    columns = ParenthesizedSimpleIdentifierList()
    {
        return new SqlCreateIndex(s.end(this), replace, ifNotExists, unique, name, table, columns);
    }
}

/** DROP TABLE [IF EXISTS] name */
SqlDrop DuetSqlDropTable(Span s, boolean replace) :
{
    final boolean ifExists;
    final SqlIdentifier id;
}
{
    <TABLE> ifExists = DuetIfExists() id = CompoundIdentifier()
    {
        return SqlDdlNodes.dropTable(s.end(this), ifExists, id);
    }
}

/** DROP VIEW [IF EXISTS] name */
SqlDrop DuetSqlDropView(Span s, boolean replace) :
{
    final boolean ifExists;
    final SqlIdentifier id;
}
{
    <VIEW> ifExists = DuetIfExists() id = CompoundIdentifier()
    {
        return SqlDdlNodes.dropView(s.end(this), ifExists, id);
    }
}

/** DROP INDEX [IF EXISTS] name */
SqlDrop DuetSqlDropIndex(Span s, boolean replace) :
{
    final boolean ifExists;
    final SqlIdentifier id;
}
{
    <INDEX> ifExists = DuetIfExists() id = CompoundIdentifier()
    {
        return new SqlDropIndex(s.end(this), ifExists, id);
    }
}

// ---- expressions ----

/** PostgreSQL's positional parameter $n: the n-th parameter, the same wherever it appears. */
SqlNode DuetPositionalParameter() :
{
}
{
    <DOLLAR_PARAM> {
        return DuetSqlNodes.positionalParameter(token.image, getPos());
    }
}

// ---- operators ---------------------------------------------------------------------------------

/**
 * PostgreSQL's cast operator "expr::type". Its operator binds tighter than every arithmetic and
 * comparison operator ({@code d > '2020-01-01'::date} compares with a date), as in PostgreSQL.
 */
void InfixCast(List<Object> list, ExprContext exprContext, Span s) :
{
    final SqlDataTypeSpec dt;
}
{
    <INFIX_CAST> {
        checkNonQueryExpression(exprContext);
    }
    dt = DataType() {
        list.add(new SqlParserUtil.ToTreeListItem(DuetSqlNodes.INFIX_CAST, s.pos()));
        list.add(dt);
    }
}
