package dev.duet.rowstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The open-snapshot set against a simple model (a sorted map of holder counts). */
class SnapshotRegistryTest {
    @Test
    void horizonAndCountsFollowAModelUnderRandomAcquiresReleasesAndPublishes() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 50; round++) {
            SnapshotRegistry registry = new SnapshotRegistry(0, 0);
            TreeMap<Long, Integer> model = new TreeMap<>();
            List<Long> held = new ArrayList<>();
            long visible = 0;
            for (int step = 0; step < 2_000; step++) {
                int action = random.nextInt(10);
                if (action < 2) {
                    visible += 1 + random.nextInt(3);
                    registry.publish(visible, visible * 10);
                } else if (action < 6 || held.isEmpty()) {
                    long ts = registry.acquire();
                    assertEquals(visible, ts);
                    model.merge(ts, 1, Integer::sum);
                    held.add(ts);
                } else {
                    // release a random holder: long-lived old ones and short new ones interleave
                    long ts = held.remove(random.nextInt(held.size()));
                    registry.release(ts);
                    model.computeIfPresent(ts, (k, n) -> n == 1 ? null : n - 1);
                }
                long expectedHorizon = model.isEmpty() ? visible : Math.min(model.firstKey(), visible);
                assertEquals(expectedHorizon, registry.horizon(), "step " + step);
                assertEquals(held.size(), registry.openCount());
            }
        }
    }

    @Test
    void releasingASnapshotThatIsNotOpenFails() {
        SnapshotRegistry registry = new SnapshotRegistry(5, 0);
        long ts = registry.acquire();
        registry.release(ts);
        assertThrows(IllegalStateException.class, () -> registry.release(ts));
        assertThrows(IllegalStateException.class, () -> registry.release(3));
    }

    @Test
    void acquireWithLsnReturnsThePublishedPosition() {
        SnapshotRegistry registry = new SnapshotRegistry(0, 0);
        registry.publish(4, 400);
        long[] snap = registry.acquireWithLsn();
        assertEquals(4, snap[0]);
        assertEquals(400, snap[1]);
        assertEquals(1, registry.openCount());
    }
}
