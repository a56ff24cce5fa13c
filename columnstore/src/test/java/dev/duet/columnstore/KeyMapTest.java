package dev.duet.columnstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The key map against a {@link HashMap} model: random puts, overwrites and removes of keys of every
 * length from 0 to past 8 bytes (inline and arena keys) and a few larger than an arena chunk, in
 * numbers that make it grow, shift entries back on removal and compact its arena.
 */
class KeyMapTest {
    @Test
    void behavesLikeAMap() {
        Random random = new Random(11);
        KeyMap map = new KeyMap();
        Map<ByteBuffer, Long> model = new HashMap<>();
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 60_000; i++) {
            int length = i % 1000 == 0 ? (1 << 20) + random.nextInt(100) : random.nextInt(24);
            byte[] key = new byte[length];
            random.nextBytes(key);
            if (length > 0 && random.nextInt(4) == 0) {
                key[0] = 0; // keys that differ in length only, or share a prefix
            }
            keys.add(key);
        }
        for (int round = 0; round < 3; round++) {
            for (int op = 0; op < 400_000; op++) {
                byte[] key = keys.get(random.nextInt(keys.size()));
                ByteBuffer k = ByteBuffer.wrap(key);
                // removals dominate one round in three: the map shrinks and its arena fills with garbage
                if (random.nextInt(round == 1 ? 2 : 5) == 0) {
                    Long old = model.remove(k);
                    assertEquals(old == null ? KeyMap.NONE : old, map.remove(key));
                } else {
                    long position = ColumnTable.position(1 + random.nextInt(1000), random.nextInt(1 << 20));
                    Long old = model.put(k, position);
                    assertEquals(old == null ? KeyMap.NONE : old, map.put(key, position));
                }
            }
            assertEquals(model.size(), map.size());
            for (byte[] key : keys) {
                Long expected = model.get(ByteBuffer.wrap(key));
                assertEquals(expected == null ? KeyMap.NONE : expected, map.get(key));
            }
        }
    }

    /**
     * While the map moves its entries into a larger table, a key may be in either table: overwrites,
     * removals and lookups of keys not yet moved, of keys moved already and of new keys all agree
     * with the model, at every step of several growths.
     */
    @Test
    void staysAMapWhileGrowing() {
        Random random = new Random(5);
        KeyMap map = new KeyMap();
        Map<ByteBuffer, Long> model = new HashMap<>();
        List<byte[]> keys = new ArrayList<>();
        int growingSteps = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] key = ByteBuffer.allocate(i % 3 == 0 ? 12 : 8).putLong(random.nextLong()).array();
            keys.add(key);
            assertEquals(KeyMap.NONE, map.put(key, i));
            model.put(ByteBuffer.wrap(key), (long) i);
            if (map.growing()) {
                growingSteps++;
                byte[] other = keys.get(random.nextInt(keys.size()));
                ByteBuffer k = ByteBuffer.wrap(other);
                switch (random.nextInt(3)) {
                    case 0 -> {
                        Long old = model.remove(k);
                        assertEquals(old == null ? KeyMap.NONE : old, map.remove(other));
                    }
                    case 1 -> {
                        Long old = model.put(k, (long) -i - 10 & Long.MAX_VALUE);
                        assertEquals(old == null ? KeyMap.NONE : old, map.put(other, -i - 10 & Long.MAX_VALUE));
                    }
                    default -> {
                        Long expected = model.get(k);
                        assertEquals(expected == null ? KeyMap.NONE : expected, map.get(other));
                    }
                }
            }
            if (i % 10_007 == 0) {
                assertEquals(model.size(), map.size());
                for (byte[] k : keys) {
                    Long expected = model.get(ByteBuffer.wrap(k));
                    assertEquals(expected == null ? KeyMap.NONE : expected, map.get(k));
                }
            }
        }
        assertTrue(growingSteps > 10_000, "the test must exercise the map while it grows: " + growingSteps);
        for (byte[] k : keys) {
            Long expected = model.get(ByteBuffer.wrap(k));
            assertEquals(expected == null ? KeyMap.NONE : expected, map.get(k));
        }
    }

    /** A growth left half done (writes stopped) is finished by the owner's idle calls. */
    @Test
    void idleMovesFinishAGrowth() {
        KeyMap map = new KeyMap();
        long k = 0;
        while (!map.growing() || map.size() < 1000) {
            map.put(ByteBuffer.allocate(8).putLong(k).array(), k);
            k++;
        }
        assertTrue(map.growing());
        map.migrate(7);
        assertTrue(map.growing(), "seven slots do not finish a growth of a map of a thousand keys");
        map.migrate(Integer.MAX_VALUE);
        assertFalse(map.growing());
        for (long i = 0; i < k; i++) {
            assertEquals(i, map.get(ByteBuffer.allocate(8).putLong(i).array()));
        }
        assertEquals(k, map.size());
    }

    /** A map sized for its keys (one built from a table's rows) holds them without growing, and grows past them. */
    @Test
    void aSizedMapHoldsItsExpectedKeysWithoutGrowing() {
        int expected = 100_000;
        KeyMap map = new KeyMap(expected);
        for (long k = 0; k < expected; k++) {
            map.put(ByteBuffer.allocate(8).putLong(k).array(), k);
            assertFalse(map.growing(), "grew at key " + k);
        }
        long k = expected;
        while (!map.growing()) {
            map.put(ByteBuffer.allocate(8).putLong(k).array(), k);
            k++;
        }
        assertTrue(k < 2L * expected, "sized for its keys, not far beyond: grew at " + k);
        for (long i = 0; i < k; i++) {
            assertEquals(i, map.get(ByteBuffer.allocate(8).putLong(i).array()));
        }
    }

    @Test
    void keysThatDifferOnlyInLengthAreDistinct() {
        KeyMap map = new KeyMap();
        byte[][] keys = {{}, {0}, {0, 0}, new byte[8], new byte[9], new byte[16], new byte[17]};
        for (int i = 0; i < keys.length; i++) {
            assertEquals(KeyMap.NONE, map.put(keys[i], i));
        }
        for (int i = 0; i < keys.length; i++) {
            assertEquals(i, map.get(keys[i]));
        }
        assertEquals(3, map.remove(new byte[8]));
        assertEquals(KeyMap.NONE, map.get(new byte[8]));
        assertEquals(4, map.get(new byte[9]));
        assertEquals(keys.length - 1, map.size());
    }
}
