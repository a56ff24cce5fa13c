package dev.duet.rowstore;

import java.util.Objects;

/**
 * A range of primary-key values for ordered scans. Bounds may name any prefix of a composite key:
 * {@code prefix(2024)} on a key {@code (year, id)} selects every row whose year is 2024, and
 * {@code between(new Object[] {2024, 10}, true, new Object[] {2025}, false)} runs from
 * (2024, 10) up to but excluding year 2025. A null bound is open.
 */
public final class KeyRange {
    private static final KeyRange ALL = new KeyRange(null, true, null, true);

    final Object[] low;
    final boolean lowInclusive;
    final Object[] high;
    final boolean highInclusive;
    /** Made by {@link #prefix}: both bounds are the same values, inclusive. */
    private final boolean prefix;

    private KeyRange(Object[] low, boolean lowInclusive, Object[] high, boolean highInclusive) {
        this(low, lowInclusive, high, highInclusive, false);
    }

    private KeyRange(Object[] low, boolean lowInclusive, Object[] high, boolean highInclusive, boolean prefix) {
        this.prefix = prefix;
        this.low = low == null ? null : low.clone();
        this.lowInclusive = lowInclusive;
        this.high = high == null ? null : high.clone();
        this.highInclusive = highInclusive;
    }

    public static KeyRange all() {
        return ALL;
    }

    /** Every key whose leading columns equal {@code values}. */
    public static KeyRange prefix(Object... values) {
        Objects.requireNonNull(values, "values is null");
        return new KeyRange(values, true, values, true, true);
    }

    /** True if this range holds at most one key of a key with {@code keyLength} columns (all of them are fixed). */
    boolean isSingleKey(int keyLength) {
        return prefix && low.length == keyLength;
    }

    public static KeyRange between(Object[] low, boolean lowInclusive, Object[] high, boolean highInclusive) {
        return new KeyRange(low, lowInclusive, high, highInclusive);
    }

    public static KeyRange atLeast(Object... low) {
        return new KeyRange(low, true, null, true);
    }

    public static KeyRange lessThan(Object... high) {
        return new KeyRange(null, true, high, false);
    }
}
