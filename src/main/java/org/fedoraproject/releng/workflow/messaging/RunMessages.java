package org.fedoraproject.releng.workflow.messaging;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.fedoraproject.releng.workflow.catalog.ParameterDefinition;
import org.fedoraproject.releng.workflow.catalog.ResolvedParameters;
import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;
import org.fedoraproject.releng.workflow.events.RunSummary;
import org.fedoraproject.releng.workflow.run.CauseChain;
import org.fedoraproject.releng.workflow.run.Links;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunStatus;

/**
 * The bodies of {@code releng.workflow.start} (when a run starts) and {@code
 * releng.workflow.complete} (when it ends, whatever the status). Secret parameters are left out
 * altogether; times are ISO-8601 and durations whole seconds (fedmsg's signature needs no floats).
 */
public final class RunMessages {

    public static final String START = "releng.workflow.start";
    public static final String COMPLETE = "releng.workflow.complete";

    private final Links links;

    /** What a run's events added up to, once its playbook has ended. */
    public interface Summaries {
        Optional<RunSummary> of(long runId);

        Summaries NONE = runId -> Optional.empty();
    }

    private final Summaries summaries;

    public RunMessages(Links links) {
        this(links, Summaries.NONE);
    }

    public RunMessages(Links links, Summaries summaries) {
        this.links = links;
        this.summaries = summaries;
    }

    /**
     * The message a transition into {@code run.status()} announces, if any. {@code causeDepth} is
     * the run's place in a chain of message-started runs ({@code CauseChain}), sent along so that
     * a run started by this message knows its own.
     */
    public Optional<BusMessage> forTransition(
            Run run, Optional<WorkflowDefinition> workflow, int causeDepth, Instant at) {
        String topic;
        if (run.status() == RunStatus.RUNNING) {
            topic = START;
        } else if (run.status().isFinal()) {
            topic = COMPLETE;
        } else {
            return Optional.empty();
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("run_id", run.id());
        body.put("run_number", run.number());
        body.put("url", links.run(run));
        body.put("log_url", links.log(run));
        body.put("workflow", run.workflowId());
        body.put("workflow_title", workflow.map(WorkflowDefinition::title).orElse(run.workflowId()));
        body.put("status", run.status().id());
        body.put("agent", run.cause().user());
        ObjectNode cause = body.putObject("cause");
        cause.put("type", run.cause().type());
        cause.put("user", run.cause().user());
        cause.put("detail", run.cause().detail());
        cause.put("reason", run.cause().reason());
        body.put(CauseChain.FIELD, causeDepth);
        body.set("parameters", publicParameters(run, workflow));
        // a dry run must not read as a real compose or push to whoever listens
        body.set("options", run.options().toJson());
        body.put("queued_at", iso(run.queuedAt()));
        body.put("started_at", iso(run.startedAt()));
        body.put("finished_at", iso(run.finishedAt()));
        if (run.status().isFinal()) {
            body.put(
                    "duration",
                    run.startedAt() == null || run.finishedAt() == null
                            ? 0
                            : java.time.Duration.between(run.startedAt(), run.finishedAt())
                                    .toSeconds());
            if (run.exitCode() == null) {
                body.putNull("exit_code");
            } else {
                body.put("exit_code", run.exitCode());
            }
            addResults(body, run);
        }
        List<String> users =
                run.cause().user() == null ? List.of() : List.of(run.cause().user());
        return Optional.of(new BusMessage(UUID.randomUUID().toString(), topic, body, at, users));
    }

    /**
     * What testing systems pick a compose up by: the {@code set_stats} outputs (never a secret:
     * the recorder leaves out any that holds one) and the recap.
     */
    private void addResults(ObjectNode body, Run run) {
        Optional<RunSummary> summary = summaries.of(run.id());
        ObjectNode outputs = summary.map(RunSummary::outputs).orElse(null);
        body.set("outputs", outputs == null ? JsonNodeFactory.instance.objectNode() : outputs.deepCopy());
        ArrayNode hosts = body.putArray("hosts");
        summary.ifPresent(s -> s.hosts()
                .forEach(h -> hosts.addObject()
                        .put("host", h.host())
                        .put("ok", h.ok())
                        .put("changed", h.changed())
                        .put("failed", h.failed())
                        .put("unreachable", h.unreachable())
                        .put("skipped", h.skipped())
                        .put("rescued", h.rescued())
                        .put("ignored", h.ignored())));
        body.put(
                "dry_run",
                run.options().isDryRun() || summary.map(RunSummary::dryRun).orElse(false));
    }

    private static ObjectNode publicParameters(Run run, Optional<WorkflowDefinition> workflow) {
        ObjectNode result = run.parameters().deepCopy();
        if (workflow.isPresent()) {
            workflow.get().parameters().stream()
                    .filter(ParameterDefinition::isSecret)
                    .forEach(p -> result.remove(p.name()));
        }
        // a workflow that left the catalog: its stored secrets show only as the mask; drop those
        List<String> masked = new java.util.ArrayList<>();
        result.fields().forEachRemaining(e -> {
            if (e.getValue().isTextual() && e.getValue().asText().equals(ResolvedParameters.MASK)) {
                masked.add(e.getKey());
            }
        });
        result.remove(masked);
        return result;
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
