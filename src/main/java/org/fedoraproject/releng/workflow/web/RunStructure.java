package org.fedoraproject.releng.workflow.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedoraproject.releng.workflow.events.HostRecap;
import org.fedoraproject.releng.workflow.events.RunEventStore;
import org.fedoraproject.releng.workflow.events.RunSummary;
import org.fedoraproject.releng.workflow.events.TaskSummary;
import org.fedoraproject.releng.workflow.run.Run;

/**
 * What the run page shows above the console: the tasks in order with what happened on how many
 * hosts, the failed and unreachable ones first, the recap, the outputs, and why events are
 * missing when they are. Null fields mean "not known (yet)".
 */
public record RunStructure(
        boolean recorded,
        boolean dryRun,
        String verdict,
        String problem,
        List<TaskSummary> tasks,
        List<TaskSummary> broken,
        boolean moreTasks,
        List<HostRecap> hosts,
        List<Map.Entry<String, String>> outputs) {

    /** The page lists this many tasks; the events API has all of them. */
    static final int TASKS_SHOWN = 500;

    static RunStructure of(Run run, RunEventStore store) {
        var summary = store.summary(run.id());
        if (summary.isEmpty()) {
            return new RunStructure(false, false, null, null, List.of(), List.of(), false, List.of(), List.of());
        }
        RunSummary s = summary.get();
        List<TaskSummary> tasks = store.tasks(run.id(), TASKS_SHOWN + 1);
        boolean more = tasks.size() > TASKS_SHOWN;
        if (more) {
            tasks = tasks.subList(0, TASKS_SHOWN);
        }
        List<Map.Entry<String, String>> outputs = new ArrayList<>();
        if (s.outputs() != null) {
            s.outputs().fields().forEachRemaining(o -> outputs.add(Map.entry(o.getKey(), text(o.getValue()))));
        }
        return new RunStructure(
                true,
                run.options().isDryRun() || s.dryRun(),
                s.verdict(run.exitCode()),
                s.problem(run.status().isFinal()),
                tasks,
                tasks.stream().filter(TaskSummary::broken).toList(),
                more,
                s.hosts(),
                outputs);
    }

    private static String text(JsonNode value) {
        return value.isTextual() ? value.asText() : value.toString();
    }

    public static String duration(Long millis) {
        if (millis == null) {
            return "—";
        }
        return millis < 1000 ? millis + " ms" : Format.duration(java.time.Duration.ofMillis(millis));
    }

    /** Where the console shows line {@code line}. */
    public static String consoleLink(Run run, Integer line) {
        return Format.runPath(run) + "console?line=" + line + "#L" + line;
    }
}
