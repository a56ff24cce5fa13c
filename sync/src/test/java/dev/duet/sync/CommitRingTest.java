package dev.duet.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The sync's hand-over ring: entries come out in order and intact across laps, slabs grow and shrink, two threads. */
class CommitRingTest {
    /** A record of {@code len} bytes derived from its sequence number, so that a wrong or torn copy shows. */
    static byte[] record(long seq, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (seq * 31 + i * 7);
        }
        return b;
    }

    static void assertEntry(CommitRing ring, long seq, int len) {
        assertEquals(seq * 10, ring.ts(seq));
        assertEquals(seq * 100, ring.endLsn(seq));
        assertEquals(seq * 1000, ring.received(seq));
        assertEquals(len, ring.length(seq));
        assertArrayEquals(record(seq, len), Arrays.copyOf(ring.payload(seq), len), "entry " + seq);
    }

    @Test
    void recordsLargerThanASlabWrapAroundIntact() {
        CommitRing ring = new CommitRing(4);
        // lengths cross the first slab, the kept-slab limit and the ring's end, many laps over
        int[] lengths = {10, CommitRing.FIRST_SLAB + 1, 3, CommitRing.KEEP_SLAB + 500, 0, 70_000, CommitRing.FIRST_SLAB, 1};
        byte[] source = new byte[100_000];
        long seq = 0;
        long bytes = 0;
        for (int lap = 0; lap < 20; lap++) {
            int burst = 1 + lap % 4;
            long first = seq;
            for (int k = 0; k < burst; k++, seq++) {
                assertTrue(ring.hasRoom());
                int len = lengths[(int) (seq % lengths.length)];
                // the record sits in the middle of a larger buffer, like the row store's payload
                byte[] rec = record(seq, len);
                System.arraycopy(rec, 0, source, 7, len);
                ring.add(seq * 10, seq * 100, source, 7, len, seq * 1000);
                bytes += len;
            }
            assertEquals(burst == 4, !ring.hasRoom());
            assertEquals(burst, ring.backlogCommits());
            assertEquals(bytes, ring.backlogBytes());
            assertEquals(first * 1000, ring.oldestReceived());
            for (long s = first; s < seq; s++) {
                assertEntry(ring, s, lengths[(int) (s % lengths.length)]);
            }
            ring.release(seq, bytes);
            bytes = 0;
            assertEquals(0, ring.backlogCommits());
            assertEquals(0, ring.backlogBytes());
            assertEquals(-1, ring.oldestReceived());
            for (long s = first; s < seq; s++) {
                byte[] slab = ring.payload(s);
                // an oversized slab is not kept for the next lap; a normal one is
                if (lengths[(int) (s % lengths.length)] > CommitRing.KEEP_SLAB) {
                    assertNull(slab);
                } else {
                    assertTrue(slab.length <= CommitRing.KEEP_SLAB);
                }
            }
        }
    }

    @Test
    void addingToAFullRingFails() {
        CommitRing ring = new CommitRing(2);
        byte[] r = new byte[3];
        ring.add(1, 1, r, 0, 3, 1);
        ring.add(2, 2, r, 0, 3, 2);
        assertFalse(ring.hasRoom());
        assertThrows(IllegalStateException.class, () -> ring.add(3, 3, r, 0, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> new CommitRing(3));
    }

    /** A producer and a consumer thread: every record arrives once, in order, with its bytes. */
    @Test
    void aProducerAndAConsumerThread() throws Exception {
        CommitRing ring = new CommitRing(8);
        int records = 200_000;
        long seed = 20261122;
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread consumer = new Thread(() -> {
            try {
                Random lengths = new Random(seed);
                long next = 0;
                while (next < records) {
                    long head = ring.head();
                    if (head == next) {
                        Thread.onSpinWait();
                        continue;
                    }
                    long bytes = 0;
                    for (long s = next; s < head; s++) {
                        int len = lengths.nextInt(10) == 0 ? 3000 : lengths.nextInt(200);
                        assertEntry(ring, s, len);
                        bytes += len;
                    }
                    ring.release(head, bytes);
                    next = head;
                }
            } catch (Throwable e) {
                failed.set(e);
            }
        }, "ring-consumer");
        consumer.start();
        Random lengths = new Random(seed);
        byte[] source = new byte[4000];
        for (long seq = 0; seq < records && failed.get() == null; seq++) {
            while (!ring.hasRoom() && failed.get() == null) {
                Thread.onSpinWait();
            }
            if (failed.get() != null) {
                break;
            }
            int len = lengths.nextInt(10) == 0 ? 3000 : lengths.nextInt(200);
            System.arraycopy(record(seq, len), 0, source, 0, len);
            ring.add(seq * 10, seq * 100, source, 0, len, seq * 1000);
        }
        consumer.join();
        if (failed.get() != null) {
            throw new AssertionError("the consumer saw a wrong entry", failed.get());
        }
        assertEquals(records, ring.tail());
        assertEquals(0, ring.backlogBytes());
    }
}
