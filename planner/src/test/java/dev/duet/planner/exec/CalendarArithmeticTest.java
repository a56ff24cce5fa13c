package dev.duet.planner.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Calendar arithmetic against java.time over every day of 1600..2499, year 0 and the ends of DATE's range. */
class CalendarArithmeticTest {
    @Test
    void fieldsAndMonthArithmeticAgreeWithJavaTime() {
        try (DifferentialDatabase db = new DifferentialDatabase()) {
            db.createTable(TableDef.builder("days").notNullColumn("id", DataType.INTEGER).column("dt", DataType.DATE)
                    .primaryKey("id").build(), "CREATE TABLE days (id INTEGER, dt DATE)");
            List<Object[]> rows = new ArrayList<>();
            List<LocalDate> dates = new ArrayList<>();
            for (LocalDate d = LocalDate.of(1600, 1, 1); d.getYear() < 2500; d = d.plusDays(1)) {
                dates.add(d);
            }
            dates.add(LocalDate.ofEpochDay(Integer.MAX_VALUE));
            dates.add(LocalDate.ofEpochDay(Integer.MIN_VALUE));
            dates.add(LocalDate.of(-1, 2, 28));
            dates.add(LocalDate.of(0, 2, 29));
            for (int i = 0; i < dates.size(); i++) {
                rows.add(new Object[] {i, dates.get(i)});
            }
            try (dev.duet.rowstore.Transaction tx = db.store().begin()) {
                for (Object[] r : rows) {
                    tx.insert("days", r);
                }
                tx.commit();
            }
            List<Object[]> out = db.duet("select id, extract(year from dt), extract(month from dt), extract(day from dt), "
                    + "extract(doy from dt), extract(dow from dt), extract(week from dt), "
                    + "case when extract(year from dt) between 1601 and 2499 then dt + interval '1' month end from days");
            for (Object[] r : out) {
                LocalDate d = dates.get((Integer) r[0]);
                String where = d.toString();
                assertEquals((long) d.getYear(), r[1], where);
                assertEquals((long) d.getMonthValue(), r[2], where);
                assertEquals((long) d.getDayOfMonth(), r[3], where);
                assertEquals((long) d.getDayOfYear(), r[4], where);
                assertEquals((long) (d.getDayOfWeek().getValue() % 7), r[5], where);
                if (d.getYear() > 1600 && d.getYear() < 2500) {
                    assertEquals((long) d.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR), r[6], where);
                    assertEquals(d.plusMonths(1), r[7], where);
                }
            }
        }
    }
}
