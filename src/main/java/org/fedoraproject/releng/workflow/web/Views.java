package org.fedoraproject.releng.workflow.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedoraproject.releng.workflow.catalog.BrokenWorkflow;
import org.fedoraproject.releng.workflow.catalog.ParameterDefinition;
import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;
import org.fedoraproject.releng.workflow.config.Durations;
import org.fedoraproject.releng.workflow.run.Links;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunTransition;

/** The JSON shapes of the API (DESIGN.md), built in one place so pages, API and messages agree. */
public final class Views {

    private final Links links;
    private final WebServer.NextDue nextDue;

    public Views(Links links, WebServer.NextDue nextDue) {
        this.links = links;
        this.nextDue = nextDue;
    }

    public Map<String, Object> run(Run r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("workflow", r.workflowId());
        m.put("number", r.number());
        m.put("status", r.status().id());
        Map<String, Object> cause = new LinkedHashMap<>();
        cause.put("type", r.cause().type());
        cause.put("user", r.cause().user());
        cause.put("detail", r.cause().detail());
        cause.put("reason", r.cause().reason());
        m.put("cause", cause);
        m.put("parameters", r.parameters());
        m.put("options", r.options().toJson());
        m.put("queuedAt", time(r.queuedAt()));
        m.put("startedAt", time(r.startedAt()));
        m.put("finishedAt", time(r.finishedAt()));
        m.put("durationSeconds", r.duration().map(Duration::toSeconds).orElse(null));
        m.put("exitCode", r.exitCode());
        m.put("cancelRequested", r.cancelRequested());
        m.put("node", r.node());
        m.put("url", links.run(r));
        m.put("logUrl", links.log(r));
        return m;
    }

    /** A queued run's {@code waitingFor}: the lock, and the run in its way (null when hidden). */
    Map<String, Object> waitingFor(LockWaitView wait) {
        return wait.json(wait.run() == null ? null : links.run(wait.run()));
    }

    /** What a run of the workflow may ask for, in the definition's own words. */
    private static Map<String, Object> allowedOptions(org.fedoraproject.releng.workflow.catalog.AllowedOptions o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("check", o.check());
        m.put("diff", o.diff());
        m.put("limit", o.limit());
        m.put("tags", o.anyTag() ? Boolean.TRUE : o.tags());
        m.put("verbosity", o.verbosity());
        return m;
    }

    /** The bus message that started a run. */
    public static Map<String, Object> message(org.fedoraproject.releng.workflow.run.TriggerMessage m) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("bus", m.bus());
        map.put("topic", m.topic());
        map.put("id", m.id());
        map.put("body", m.body());
        return map;
    }

    public Map<String, Object> transition(RunTransition t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", t.from() == null ? null : t.from().id());
        m.put("to", t.to().id());
        m.put("at", time(t.at()));
        m.put("actor", t.actor());
        m.put("reason", t.reason());
        return m;
    }

    public Map<String, Object> workflow(WorkflowDefinition w, Run lastRun) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.id());
        m.put("broken", false);
        m.put("title", w.title());
        m.put("description", w.description());
        m.put("visibility", w.visibility().name().toLowerCase(java.util.Locale.ROOT));
        // a chain's step workflows are not listed: some may be hidden from this reader
        m.put("chain", w.isChain());
        m.put("outputs", w.outputs());
        List<Map<String, Object>> params = new ArrayList<>();
        for (ParameterDefinition p : w.parameters()) {
            params.add(parameter(p));
        }
        m.put("parameters", params);
        m.put(
                "permissions",
                w.permissions().stream()
                        .map(e -> Map.of(
                                "principal",
                                e.principal(),
                                "allow",
                                e.allow().stream()
                                        .map(org.fedoraproject.releng.workflow.access.Permission::id)
                                        .sorted()
                                        .toList()))
                        .toList());
        m.put(
                "concurrency",
                Map.of(
                        "limit",
                        w.concurrencyLimit(),
                        "policy",
                        w.concurrencyPolicy().id()));
        m.put("timeout", w.timeout().map(Durations::format).orElse(null));
        m.put("schedule", w.schedule().orElse(null));
        m.put(
                "nextDue",
                w.schedule().isPresent() ? nextDue.of(w.id()).map(Views::time).orElse(null) : null);
        m.put(
                "triggers",
                w.triggers().stream()
                        .map(t -> {
                            Map<String, Object> tm = new LinkedHashMap<>();
                            tm.put("bus", t.bus());
                            tm.put("topic", t.topic());
                            tm.put("filter", t.filter());
                            tm.put("throttle", t.throttle().isZero() ? null : Durations.format(t.throttle()));
                            return tm;
                        })
                        .toList());
        m.put("options", allowedOptions(w.options()));
        m.put("vault", w.vault());
        m.put("url", links.workflow(w.id()));
        m.put("lastRun", lastRun == null ? null : run(lastRun));
        return m;
    }

    public Map<String, Object> broken(BrokenWorkflow b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("broken", true);
        m.put("file", b.file().getFileName().toString());
        m.put("errors", b.errors());
        return m;
    }

    private static Map<String, Object> parameter(ParameterDefinition p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("type", p.type().id());
        m.put("description", p.description());
        m.put("required", p.required());
        m.put("default", p.defaultValue());
        if (!p.choices().isEmpty()) {
            m.put("choices", p.choices());
        }
        if (p.pattern() != null) {
            m.put("pattern", p.pattern());
        }
        if (p.min() != null) {
            m.put("min", p.min());
        }
        if (p.max() != null) {
            m.put("max", p.max());
        }
        return m;
    }

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
