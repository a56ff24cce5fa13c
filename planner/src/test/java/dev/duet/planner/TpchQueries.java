package dev.duet.planner;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The 22 TPC-H queries as Duet's front end takes them: the texts of io.trino.tpch 1.2, with one
 * adaptation. Every other query is planned exactly as shipped.
 *
 * <ul>
 *   <li>q15 defines {@code CREATE OR REPLACE VIEW revenue AS ...;} and then queries it. Calcite's
 *       Babel grammar does not parse CREATE VIEW; Duet's grammar does, but the catalog has no
 *       views yet. So the view becomes a common table expression:
 *       {@code WITH revenue AS (...) SELECT ...}. Same rows, same order.
 * </ul>
 */
public final class TpchQueries {
    private static final Pattern VIEW = Pattern.compile(
            "CREATE OR REPLACE VIEW (\\w+) AS(.*?);(.*)", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);

    private TpchQueries() {
    }

    /** Query {@code n} (1..22), adapted where Babel 1.42 cannot parse the original. */
    public static String query(int n) {
        String text = TpchCatalog.originalQuery(n);
        if (n == 15) {
            Matcher m = VIEW.matcher(text);
            if (!m.find()) {
                throw new IllegalStateException("q15 no longer has the expected CREATE VIEW: " + text);
            }
            return text.substring(0, m.start()) + "WITH " + m.group(1) + " AS (" + m.group(2) + ")\n" + m.group(3);
        }
        return text;
    }
}
