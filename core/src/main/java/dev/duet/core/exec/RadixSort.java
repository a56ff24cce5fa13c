package dev.duet.core.exec;

/**
 * A stable least-significant-digit radix sort of 64-bit keys (as unsigned numbers) carrying an
 * int beside each, a byte per pass, skipping the bytes every key shares (the high bytes of
 * ascending ids, for one). Used where a comparison sort would compare millions of keys: sort keys
 * of rows (the planner's {@code RowSorter}) and encoded primary keys loaded from a checkpoint.
 */
public final class RadixSort {
    private RadixSort() {
    }

    /**
     * Sorts {@code keys[0..n)} with {@code ids} alongside, stably; {@code auxKeys} and
     * {@code auxIds} (at least {@code n} long) are scratch. Returns true if the sorted arrays
     * ended up in {@code auxKeys}/{@code auxIds}, false if in {@code keys}/{@code ids}.
     */
    public static boolean sort(long[] keys, int[] ids, long[] auxKeys, int[] auxIds, int n) {
        int[][] counts = new int[8][256];
        for (int i = 0; i < n; i++) {
            long k = keys[i];
            for (int b = 0; b < 8; b++) {
                counts[b][(int) (k >>> (8 * b)) & 0xFF]++;
            }
        }
        long[] srcK = keys;
        int[] srcI = ids;
        long[] dstK = auxKeys;
        int[] dstI = auxIds;
        boolean inAux = false;
        for (int b = 0; b < 8 && n > 0; b++) {
            int[] count = counts[b];
            int shift = 8 * b;
            if (count[(int) (keys[0] >>> shift) & 0xFF] == n) {
                continue; // every key has the same byte here
            }
            int sum = 0;
            for (int d = 0; d < 256; d++) {
                int c = count[d];
                count[d] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                long k = srcK[i];
                int at = count[(int) (k >>> shift) & 0xFF]++;
                dstK[at] = k;
                dstI[at] = srcI[i];
            }
            long[] tk = srcK;
            srcK = dstK;
            dstK = tk;
            int[] ti = srcI;
            srcI = dstI;
            dstI = ti;
            inAux = !inAux;
        }
        return inAux;
    }
}
