package dev.duet.planner.exec.ops;

/**
 * One ORDER BY key: an input column, its direction and where its NULLs go. PostgreSQL's default
 * treats NULL as larger than every value, so {@link #asc} puts NULLs last and {@link #desc} first;
 * an explicit {@code NULLS FIRST/LAST} overrides it. Strings order by UTF-8 bytes (code points),
 * REAL/DOUBLE with NaN above every number and -0.0 equal to 0.0.
 *
 * @param column     index of the input column
 * @param descending DESC
 * @param nullsFirst NULLS FIRST
 */
public record SortKey(int column, boolean descending, boolean nullsFirst) {
    public SortKey {
        if (column < 0) {
            throw new IllegalArgumentException("sort column " + column);
        }
    }

    /** {@code column ASC} (NULLS LAST). */
    public static SortKey asc(int column) {
        return new SortKey(column, false, false);
    }

    /** {@code column DESC} (NULLS FIRST). */
    public static SortKey desc(int column) {
        return new SortKey(column, true, true);
    }

    @Override
    public String toString() {
        return "$" + column + (descending ? " DESC" : " ASC") + (nullsFirst ? " NULLS FIRST" : " NULLS LAST");
    }
}
