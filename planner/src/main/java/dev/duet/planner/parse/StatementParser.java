package dev.duet.planner.parse;

import dev.duet.core.SqlState;
import dev.duet.planner.parse.grammar.DuetSqlParserImpl;
import dev.duet.planner.parse.grammar.ParseException;
import dev.duet.planner.parse.grammar.Token;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

/**
 * Parses SQL text with Duet's grammar (Calcite's core grammar extended in
 * {@code src/main/codegen} for PostgreSQL's DDL, transaction statements, {@code ::} and
 * {@code interval '3 months'}; {@link DuetSqlParserImpl}) configured for PostgreSQL habits: double-quoted
 * identifiers, unquoted identifiers folded to lower case, quoted ones kept as written, names
 * matched case-sensitively afterwards, LENIENT conformance. A syntax error becomes a
 * {@link dev.duet.planner.PositionedException} with SQLSTATE 42601 in PostgreSQL's words
 * ({@code syntax error at or near "x"}, {@code syntax error at end of input}). Thread-safe.
 */
public final class StatementParser {
    /** The parser configuration every Duet statement is parsed with. */
    public static final SqlParser.Config CONFIG = SqlParser.config()
            .withParserFactory(DuetSqlParserImpl.FACTORY)
            .withQuoting(Quoting.DOUBLE_QUOTE)
            .withUnquotedCasing(Casing.TO_LOWER)
            .withQuotedCasing(Casing.UNCHANGED)
            .withCaseSensitive(true)
            .withConformance(SqlConformanceEnum.LENIENT);

    private static final Pattern LOCATION = Pattern.compile("[:,]?\\s*(at )?line \\d+, column \\d+\\.?$");

    /** Expected-token lists longer than this are not worth printing. */
    private static final int MAX_EXPECTED_SHOWN = 8;

    private final SqlParser.Config config;

    public StatementParser() {
        this(CONFIG);
    }

    public StatementParser(SqlParser.Config config) {
        this.config = Objects.requireNonNull(config, "config is null");
    }

    /** Parses a script of zero or more statements separated by semicolons. */
    public List<ParsedStatement> parse(String sql) {
        Objects.requireNonNull(sql, "sql is null");
        List<ParsedStatement> out = new ArrayList<>();
        for (SourceText piece : StatementSplitter.split(sql)) {
            for (SqlNode node : parsePiece(piece)) {
                out.add(new ParsedStatement(node, piece));
            }
        }
        return out;
    }

    private List<SqlNode> parsePiece(SourceText piece) {
        List<SqlNode> nodes;
        try {
            nodes = SqlParser.create(piece.text(), config).parseStmtList().getList();
        } catch (SqlParseException e) {
            throw syntaxError(piece, e);
        }
        for (SqlNode node : nodes) {
            checkParameterStyle(node, piece);
        }
        return nodes;
    }

    /** A statement takes either JDBC's {@code ?} or PostgreSQL's {@code $n} parameters, not both. */
    private static void checkParameterStyle(SqlNode node, SourceText piece) {
        List<SqlDynamicParam> params = new ArrayList<>();
        node.accept(new SqlBasicVisitor<Void>() {
            @Override
            public Void visit(SqlDynamicParam param) {
                params.add(param);
                return null;
            }
        });
        boolean positional = params.stream().anyMatch(p -> p instanceof SqlPositionalParam);
        for (SqlDynamicParam p : params) {
            if (positional != (p instanceof SqlPositionalParam)) {
                SqlParserPos pos = p.getParserPosition();
                throw piece.errorAt(SqlState.SYNTAX_ERROR, "a statement cannot mix ? and $n parameters",
                        piece.indexOf(pos.getLineNum(), pos.getColumnNum()), null);
            }
        }
    }

    private static RuntimeException syntaxError(SourceText piece, SqlParseException e) {
        if (e.getCause() instanceof ParseException pe && pe.currentToken != null && pe.currentToken.next != null) {
            Token bad = pe.currentToken.next;
            if (reachesEnd(pe, bad)) {
                return piece.errorAt(SqlState.SYNTAX_ERROR, "syntax error at end of input" + expected(e),
                        piece.end(), e);
            }
            return piece.errorAt(SqlState.SYNTAX_ERROR,
                    "syntax error at or near \"" + bad.image + "\"" + expected(e),
                    piece.indexOf(bad.beginLine, bad.beginColumn), e);
        }
        SqlParserPos pos = e.getPos();
        String detail = firstLine(e.getMessage());
        if (pos == null || pos.getLineNum() <= 0) {
            return piece.errorAt(SqlState.SYNTAX_ERROR, "syntax error: " + detail, piece.start(), e);
        }
        int index = piece.indexOf(pos.getLineNum(), pos.getColumnNum());
        String near = wordAt(piece.fullText(), index, piece.end());
        String what = near.isEmpty() ? "syntax error at end of input" : "syntax error at or near \"" + near + "\"";
        // Calcite's detail may repeat the location, or only restate "near the keyword X"
        detail = LOCATION.matcher(detail).replaceAll("");
        if (detail.isEmpty() || detail.startsWith("Incorrect syntax near the keyword")) {
            return piece.errorAt(SqlState.SYNTAX_ERROR, what, index, e);
        }
        return piece.errorAt(SqlState.SYNTAX_ERROR, what + ": " + lowerFirst(detail), index, e);
    }

    /**
     * True when the tokens the parser looked ahead over end at the end of input: PostgreSQL then
     * says "at end of input" (e.g. {@code SELECT * FROM}), where Calcite names the first of them.
     */
    private static boolean reachesEnd(ParseException pe, Token bad) {
        int lookahead = 1;
        if (pe.expectedTokenSequences != null) {
            for (int[] seq : pe.expectedTokenSequences) {
                lookahead = Math.max(lookahead, seq.length);
            }
        }
        Token t = bad;
        for (int i = 0; i < lookahead && t != null; i++, t = t.next) {
            if (t.kind == 0) {
                return true;
            }
        }
        return false;
    }

    private static String expected(SqlParseException e) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : e.getExpectedTokenNames()) {
            String n = name.endsWith("IDENTIFIER>") ? "identifier" : name.replace("\"", "");
            if (!n.equals("/*+")) {
                names.add(n);
            }
        }
        if (names.isEmpty() || names.size() > MAX_EXPECTED_SHOWN) {
            return "";
        }
        return " (expected " + (names.size() == 1 ? "" : "one of ") + String.join(", ", names) + ")";
    }

    /** The identifier, number or single symbol starting at {@code index}. */
    private static String wordAt(String text, int index, int end) {
        if (index >= end) {
            return "";
        }
        int i = index;
        if (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_' || text.charAt(i) == '$') {
            i++;
            while (i < end && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                    || text.charAt(i) == '$')) {
                i++;
            }
        } else {
            i++;
        }
        return text.substring(index, i);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid statement";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
}
