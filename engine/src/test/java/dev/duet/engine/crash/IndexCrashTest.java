package dev.duet.engine.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.IndexDef;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import dev.duet.rowstore.KeyRange;
import dev.duet.rowstore.Row;
import dev.duet.rowstore.RowStoreOptions;
import dev.duet.rowstore.Transaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secondary indexes after {@code kill -9}: an {@link IndexCrashWorker} inserts, updates and
 * deletes indexed rows (and creates and drops another index) in a child JVM; after each kill the
 * database is reopened here, which rebuilds every index from the recovered rows. Every index
 * lookup must then return exactly the rows a scan finds with that value, the unique index must
 * still refuse duplicates, and every acknowledged insert must be there unless a later
 * transaction deletes it.
 */
class IndexCrashTest {
    private static final int ROUNDS = 4;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void indexesMatchTheRowsAfterKillNine() throws Exception {
        Random random = new Random(0x1DE5L);
        Path db = tmp.resolve("db");
        for (int round = 1; round <= ROUNDS; round++) {
            Set<Long> acked;
            try (ChildJvm child = ChildJvm.start(tmp.resolve("index-" + round + ".err"), "index", db.toString(),
                    Integer.toString(round), Long.toString(random.nextLong()))) {
                acked = child.ackedUntilKilled(30, 1500, random, Integer.toString(round));
            }
            DuetConfig config = DuetConfig.defaults().withRowStore(RowStoreOptions.defaults().withCheckpointOnClose(false));
            try (Duet d = Duet.open(db, config)) {
                int rows = verify(d, acked);
                System.out.printf("round %d: %d ACKs, %d rows, indexes %s%n", round, acked.size(), rows,
                        d.catalog().indexes().stream().map(IndexDef::name).toList());
            }
        }
    }

    private static int verify(Duet d, Set<Long> acked) {
        try (Transaction tx = d.begin()) {
            Map<Long, Row> byId = new HashMap<>();
            Map<Integer, List<Long>> byGrp = new HashMap<>();
            for (Row r : tx.scan("ix")) {
                long id = (Long) r.get("id");
                byId.put(id, r);
                byGrp.computeIfAbsent((Integer) r.get("grp"), g -> new ArrayList<>()).add(id);
            }
            for (int g = 0; g < 10; g++) {
                List<Long> found = new ArrayList<>();
                for (Row r : tx.scanIndex("ix_grp", KeyRange.prefix(g))) {
                    found.add((Long) r.get("id"));
                }
                assertEquals(byGrp.getOrDefault(g, List.of()), found, "index ix_grp, grp " + g);
            }
            for (Row r : byId.values()) {
                List<Row> found = tx.scanIndex("ix_tag", KeyRange.prefix(r.get("tag"))).toList();
                assertEquals(1, found.size(), "index ix_tag, tag " + r.get("tag"));
                assertEquals(r.get("id"), found.get(0).get("id"));
            }
            for (IndexDef extra : tx.catalog().indexes()) {
                if (extra.name().startsWith("ix_extra")) {
                    long n = 0;
                    for (int p = 0; p < 4; p++) {
                        n += tx.scanIndex(extra.name(), KeyRange.prefix("p" + p)).toList().size();
                    }
                    assertEquals(byId.size(), n, "rows found through " + extra.name());
                }
            }
            for (long txid : acked) {
                long seq = CrashWorker.seqOf(txid);
                if ((seq + 2) % 5 != 0) {
                    assertTrue(byId.containsKey(txid), "acknowledged insert " + txid + " is missing");
                }
            }
            if (!byId.isEmpty()) {
                Row any = byId.values().iterator().next();
                DuetException e = assertThrows(DuetException.class, () -> tx.insert("ix", -1L, 0, any.get("tag"), "p"));
                assertEquals(SqlState.UNIQUE_VIOLATION, e.state());
            }
            return byId.size();
        }
    }
}
