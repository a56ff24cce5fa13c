package dev.duet.planner.exec.join;

import dev.duet.core.types.DataType;
import dev.duet.core.types.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Obviously-correct (nested loops over Java values) joins and set operations, for expected results. */
final class ReferenceJoin {
    private ReferenceJoin() {
    }

    /**
     * @param keyTypes type of each key pair
     * @param condition the residual on (left values then right values); null for none
     */
    static List<Object[]> join(JoinType type, List<Object[]> left, List<Object[]> right, int leftWidth, int rightWidth,
            List<JoinKey> keys, List<DataType> keyTypes, Predicate<Object[]> condition) {
        List<Object[]> out = new ArrayList<>();
        boolean[] rightMatched = new boolean[right.size()];
        for (Object[] l : left) {
            boolean matched = false;
            for (int j = 0; j < right.size(); j++) {
                Object[] r = right.get(j);
                if (!keysEqual(l, r, keys, keyTypes)) {
                    continue;
                }
                Object[] pair = OperatorTestBase.concat(l, r);
                if (condition != null && !condition.test(pair)) {
                    continue;
                }
                matched = true;
                rightMatched[j] = true;
                if (type.outputsPairs()) {
                    out.add(pair);
                }
            }
            if (!matched && type.keepsUnmatchedLeft()) {
                out.add(OperatorTestBase.concat(l, new Object[rightWidth]));
            }
            if ((type == JoinType.SEMI && matched) || (type == JoinType.ANTI && !matched)) {
                out.add(l);
            }
        }
        if (type.keepsUnmatchedRight()) {
            for (int j = 0; j < right.size(); j++) {
                if (!rightMatched[j]) {
                    out.add(OperatorTestBase.concat(new Object[leftWidth], right.get(j)));
                }
            }
        }
        for (int j = 0; j < right.size(); j++) {
            if (type == JoinType.RIGHT_SEMI && rightMatched[j] || type == JoinType.RIGHT_ANTI && !rightMatched[j]) {
                out.add(right.get(j));
            }
        }
        return out;
    }

    private static boolean keysEqual(Object[] l, Object[] r, List<JoinKey> keys, List<DataType> keyTypes) {
        for (int k = 0; k < keys.size(); k++) {
            Object a = l[keys.get(k).left()];
            Object b = r[keys.get(k).right()];
            if (a == null || b == null || !Values.equal(keyTypes.get(k), a, b)) {
                return false;
            }
        }
        return true;
    }

    /** A set operation on normalized rows (NULL equal to NULL; values compared with equals()). */
    static List<List<Object>> setOperation(SetOperationSpec.Kind kind, boolean all, List<List<List<Object>>> inputs) {
        List<List<Object>> out = new ArrayList<>();
        if (kind == SetOperationSpec.Kind.UNION) {
            for (List<List<Object>> input : inputs) {
                for (List<Object> r : input) {
                    if (all || !out.contains(r)) {
                        out.add(r);
                    }
                }
            }
            return out;
        }
        Map<List<Object>, Integer> counts = count(inputs.get(0));
        if (!all) {
            counts.replaceAll((k, v) -> 1);
        }
        for (int i = 1; i < inputs.size(); i++) {
            Map<List<Object>, Integer> other = count(inputs.get(i));
            for (Map.Entry<List<Object>, Integer> e : counts.entrySet()) {
                int n = other.getOrDefault(e.getKey(), 0);
                int m = e.getValue();
                if (kind == SetOperationSpec.Kind.INTERSECT) {
                    e.setValue(Math.min(m, all ? n : Math.min(n, 1)));
                } else {
                    e.setValue(all ? Math.max(m - n, 0) : (n > 0 ? 0 : m));
                }
            }
        }
        counts.forEach((r, n) -> {
            for (int i = 0; i < n; i++) {
                out.add(r);
            }
        });
        return out;
    }

    private static Map<List<Object>, Integer> count(List<List<Object>> rows) {
        Map<List<Object>, Integer> m = new HashMap<>();
        for (List<Object> r : rows) {
            m.merge(r, 1, Integer::sum);
        }
        return m;
    }
}
