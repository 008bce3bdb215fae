package org.fedoraproject.releng.workflow.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedoraproject.releng.workflow.events.HostRecap;
import org.fedoraproject.releng.workflow.events.RunEvent;
import org.fedoraproject.releng.workflow.events.RunEventStore;
import org.fedoraproject.releng.workflow.events.RunSummary;
import org.fedoraproject.releng.workflow.run.Run;

/** The JSON shapes of what a run's events tell: the recap, the outputs, the events themselves. */
final class RunResults {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunEventStore events;

    RunResults(RunEventStore events) {
        this.events = events;
    }

    RunEventStore store() {
        return events;
    }

    /** Added to the run JSON: {@code hosts}, {@code outputs}, {@code dryRun}, {@code verdict}, {@code events}. */
    Map<String, Object> of(Run run) {
        Optional<RunSummary> summary = events.summary(run.id());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(
                "hosts",
                summary.map(s -> s.hosts().isEmpty() ? null : hosts(s.hosts())).orElse(null));
        m.putAll(brief(run, summary.orElse(null)));
        if (summary.isPresent()) {
            Map<String, Object> e = new LinkedHashMap<>();
            String problem = summary.get().problem(run.status().isFinal());
            e.put("complete", summary.get().state() == RunSummary.State.COMPLETE);
            e.put(
                    "count",
                    summary.get().state() == RunSummary.State.OPEN
                            ? null
                            : summary.get().events());
            e.put("problem", problem);
            e.put("url", "/api/runs/" + run.id() + "/events");
            m.put("events", e);
        } else {
            m.put("events", null);
        }
        return m;
    }

    /**
     * What a history list shows of each run's events: {@code outputs}, {@code dryRun}, {@code
     * verdict} (the recap and the events themselves are on the run), from one lookup for the page.
     */
    List<Map<String, Object>> briefs(List<Run> page, java.util.function.Function<Run, Map<String, Object>> view) {
        Map<Long, RunSummary> summaries =
                events.summaries(page.stream().map(Run::id).toList());
        return page.stream()
                .map(run -> {
                    Map<String, Object> m = new LinkedHashMap<>(view.apply(run));
                    m.putAll(brief(run, summaries.get(run.id())));
                    return m;
                })
                .toList();
    }

    private static Map<String, Object> brief(Run run, RunSummary summary) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("outputs", summary == null ? null : summary.outputs());
        // the run asked for check mode; the plugin also sees it when an ansible.cfg turns it on
        m.put("dryRun", run.options().isDryRun() || (summary != null && summary.dryRun()));
        m.put("verdict", summary == null ? null : summary.verdict(run.exitCode()));
        return m;
    }

    static List<Map<String, Object>> hosts(List<HostRecap> recap) {
        return recap.stream()
                .map(h -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("host", h.host());
                    m.put("ok", h.ok());
                    m.put("changed", h.changed());
                    m.put("failed", h.failed());
                    m.put("unreachable", h.unreachable());
                    m.put("skipped", h.skipped());
                    m.put("rescued", h.rescued());
                    m.put("ignored", h.ignored());
                    return m;
                })
                .toList();
    }

    static Map<String, Object> event(RunEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.seq());
        m.put("type", e.type());
        m.put("at", Views.time(e.at()));
        m.put("play", e.play());
        m.put("task", e.task());
        m.put("taskPath", e.taskPath());
        m.put("role", e.role());
        m.put("host", e.host());
        m.put("action", e.action());
        m.put("changed", e.changed());
        m.put("failed", e.failed());
        m.put("ignored", e.ignored());
        m.put("item", e.item());
        m.put("durationMs", e.durationMs());
        m.put("line", e.line());
        m.put("result", result(e.result()));
        return m;
    }

    private static JsonNode result(String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a stored event result is not JSON", e);
        }
    }
}
