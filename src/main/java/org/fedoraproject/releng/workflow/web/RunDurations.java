package org.fedoraproject.releng.workflow.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedoraproject.releng.workflow.run.Run;

/**
 * What pages show about how long runs take: the expected duration of a running run (the median of
 * the last successful ones, as Jenkins' progress bar uses) and a workflow's duration trend, drawn
 * as inline SVG bars so that no chart library (and no script) is needed.
 */
public final class RunDurations {

    /** How many successful runs the expected duration is taken from. */
    static final int SAMPLE = 5;

    public static final int TREND_WIDTH = 600;
    public static final int TREND_HEIGHT = 80;

    /** One bar: where it is, its status (its colour) and what its tooltip says. */
    public record Bar(int x, int y, int width, int height, String status, String title) {}

    private RunDurations() {}

    /** The median duration in seconds of these finished runs, or null when none has one. */
    static Long medianSeconds(List<Run> runs) {
        List<Long> seconds = new ArrayList<>();
        for (Run run : runs) {
            if (run.finishedAt() != null) {
                run.duration().map(Duration::toSeconds).ifPresent(seconds::add);
            }
        }
        if (seconds.isEmpty()) {
            return null;
        }
        seconds.sort(null);
        int middle = seconds.size() / 2;
        long median =
                seconds.size() % 2 == 1 ? seconds.get(middle) : (seconds.get(middle - 1) + seconds.get(middle)) / 2;
        return Math.max(1, median);
    }

    /** Bars for the runs that started, oldest on the left; {@code newestFirst} as history pages list them. */
    public static List<Bar> trend(List<Run> newestFirst) {
        List<Run> started = new ArrayList<>();
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            if (newestFirst.get(i).startedAt() != null) {
                started.add(newestFirst.get(i));
            }
        }
        List<Bar> bars = new ArrayList<>();
        if (started.isEmpty()) {
            return bars;
        }
        long longest = 1;
        for (Run run : started) {
            longest = Math.max(longest, millis(run));
        }
        int slot = TREND_WIDTH / Math.max(started.size(), 10);
        for (int i = 0; i < started.size(); i++) {
            Run run = started.get(i);
            int height = (int) Math.max(2, millis(run) * (TREND_HEIGHT - 4) / longest);
            bars.add(new Bar(
                    i * slot + 2,
                    TREND_HEIGHT - height,
                    Math.max(1, slot - 4),
                    height,
                    run.status().id(),
                    "#" + run.number() + " " + run.status().id() + ", " + Format.duration(run)));
        }
        return bars;
    }

    private static long millis(Run run) {
        return run.duration().map(Duration::toMillis).orElse(0L);
    }
}
