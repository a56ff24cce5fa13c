package dev.duet.planner.exec.ops;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.types.Values;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The expected order of rows for sort keys, from {@link Values#compare}, with a stable list sort. */
final class SortReference {
    private SortReference() {
    }

    static Comparator<Object[]> comparator(List<SortKey> keys, List<BatchColumn> columns) {
        return (a, b) -> {
            for (SortKey k : keys) {
                Object x = a[k.column()];
                Object y = b[k.column()];
                if (x == null || y == null) {
                    if (x == y) {
                        continue;
                    }
                    return (x == null) == k.nullsFirst() ? -1 : 1;
                }
                int c = Values.compare(columns.get(k.column()).type(), x, y);
                if (c != 0) {
                    return k.descending() ? -c : c;
                }
            }
            return 0;
        };
    }

    /** The rows stably sorted by {@code keys}. */
    static List<Object[]> sorted(List<Object[]> rows, List<SortKey> keys, List<BatchColumn> columns) {
        List<Object[]> copy = new ArrayList<>(rows);
        copy.sort(comparator(keys, columns));
        return copy;
    }
}
