package dev.duet.rowstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeySortTest {
    /** The keys in the order {@link KeySort#order} gives, beside the comparison sort's. */
    private static void assertSortsLikeKeyOrder(byte[][] keys) {
        int[] order = KeySort.order(keys, keys.length);
        byte[][] sorted = new byte[keys.length][];
        for (int i = 0; i < keys.length; i++) {
            sorted[i] = keys[order[i]];
        }
        byte[][] expected = keys.clone();
        Arrays.sort(expected, VersionedTable.KEY_ORDER);
        assertEquals(expected.length, sorted.length);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], sorted[i], "position " + i);
        }
        int[] seen = order.clone();
        Arrays.sort(seen);
        for (int i = 0; i < seen.length; i++) {
            assertEquals(i, seen[i], "a permutation");
        }
    }

    @Test
    void keysOfMixedLengthsWithSharedPrefixesAndZeroBytes() {
        Random r = new Random(7);
        byte[][] keys = new byte[20_000][];
        for (int i = 0; i < keys.length; i++) {
            int len = r.nextInt(21);
            byte[] k = new byte[len];
            for (int j = 0; j < len; j++) {
                // few distinct bytes, zeros and 0xFF among them: long runs of equal prefixes
                int pick = r.nextInt(4);
                k[j] = (byte) (pick == 0 ? 0 : pick == 1 ? 0xFF : pick == 2 ? 0x80 : 0x7F);
            }
            keys[i] = k;
        }
        assertSortsLikeKeyOrder(keys);
    }

    @Test
    void ascendingAndShuffledIntegerKeysAndCompositeKeys() {
        Random r = new Random(11);
        byte[][] keys = new byte[50_000][];
        for (int i = 0; i < keys.length; i++) {
            long v = i % 2 == 0 ? i : r.nextLong();
            byte[] k = new byte[i % 3 == 0 ? 12 : 8];
            for (int j = 0; j < 8; j++) {
                k[j] = (byte) (v >>> (56 - 8 * j));
            }
            if (k.length == 12) {
                k[11] = (byte) r.nextInt(7); // a second key column: runs of one prefix
                k[8] = (byte) 0x80;
            }
            keys[i] = k;
        }
        // the same sixteen-byte prefix many times over: a run longer than the insertion sort takes
        for (int i = 0; i < 100; i++) {
            keys[i] = new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, (byte) (255 - i), (byte) i};
        }
        for (int i = keys.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            byte[] t = keys[i];
            keys[i] = keys[j];
            keys[j] = t;
        }
        assertSortsLikeKeyOrder(keys);
    }

    @Test
    void emptyAndSingle() {
        assertEquals(0, KeySort.order(new byte[0][], 0).length);
        assertSortsLikeKeyOrder(new byte[][] {{}});
        assertSortsLikeKeyOrder(new byte[][] {{0}, {}, {0, 0}, {}});
    }
}
