package dev.duet.planner.exec.route;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.util.Locale;

/** Which store a session's table scans read ({@code SET duet.route = 'auto' | 'row' | 'column'}). */
public enum RouteMode {
    /** Each scan goes where it is estimated cheaper (see {@link ScanRouting}). */
    AUTO,
    /** Every scan reads the row store. */
    ROW,
    /**
     * Every full table scan reads the column store, and no scan uses a key lookup; a table the
     * transaction has written is still read from the row store (only it sees those writes).
     */
    COLUMN;

    /** The mode named {@code text} (case-insensitive); 22023 otherwise. */
    public static RouteMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DuetException.of(SqlState.INVALID_PARAMETER_VALUE,
                    "invalid value for parameter \"duet.route\": \"%s\" (auto, row or column)", text);
        }
    }

    /** The setting's spelling. */
    public String setting() {
        return name().toLowerCase(Locale.ROOT);
    }
}
