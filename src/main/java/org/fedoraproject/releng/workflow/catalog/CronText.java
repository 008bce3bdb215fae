package org.fedoraproject.releng.workflow.catalog;

import com.github.kagkarlsson.scheduler.task.schedule.CronSchedule;
import java.time.ZoneId;

/**
 * Cron as the catalog writes it: the classic five fields ({@code 0 3 * * *}), or six with seconds
 * first. The scheduler wants six, so five-field expressions get a leading {@code 0}.
 */
public final class CronText {

    private CronText() {}

    public static String sixFields(String cron) {
        String trimmed = cron.trim().replaceAll("\\s+", " ");
        return trimmed.split(" ").length == 5 ? "0 " + trimmed : trimmed;
    }

    /** The schedule for {@code cron} in {@code zone}, or an exception saying what is wrong. */
    public static CronSchedule schedule(String cron, String zone) {
        String fields = sixFields(cron);
        int count = fields.split(" ").length;
        if (count != 6) {
            throw new IllegalArgumentException(
                    "`" + cron + "` must have 5 fields (minute hour day month weekday) or 6 (seconds first)");
        }
        try {
            return new CronSchedule(fields, ZoneId.of(zone));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("`" + cron + "` is not a cron expression: " + e.getMessage());
        }
    }
}
