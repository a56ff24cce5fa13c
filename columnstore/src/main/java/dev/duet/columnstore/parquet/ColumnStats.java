package dev.duet.columnstore.parquet;

/**
 * The statistics a Parquet file holds for one column of one row group, with values in their
 * canonical Java form (see {@link dev.duet.core.types.DataType}).
 *
 * @param min the smallest non-null value, or null when unknown (no non-null value, only NaN, or
 *     the writer left it out)
 * @param max the largest non-null value, or null when unknown (as {@code min})
 * @param nullCount the number of NULLs, or -1 when the file does not say
 */
public record ColumnStats(Object min, Object max, long nullCount) {
    /** True when both bounds are known. */
    public boolean hasMinMax() {
        return min != null && max != null;
    }
}
