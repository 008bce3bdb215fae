package org.fedoraproject.releng.workflow.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedoraproject.releng.workflow.access.Principal;
import org.fedoraproject.releng.workflow.run.Orchestrator;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunService;

/**
 * What a run shows of chains: a chain run its steps, a step run its chain, a resumed chain the run
 * it resumes and the one that resumed it. A step whose workflow the reader may not see is shown as
 * a hidden step, without its name, workflow or link.
 */
public final class ChainViews {

    /** One step as a page shows it; {@code run} is null until it has one (or when hidden). */
    public record StepView(String id, String status, Run run, String error, boolean hidden, String comesAfter) {}

    private final RunService runs;
    private final Reading reading;
    private final java.util.function.Function<Run, String> url;

    /** {@code url}: the address the JSON gives for a run. */
    ChainViews(RunService runs, Reading reading, java.util.function.Function<Run, String> url) {
        this.runs = runs;
        this.reading = reading;
        this.url = url;
    }

    List<StepView> steps(Principal principal, Run run) {
        List<StepView> result = new ArrayList<>();
        List<Orchestrator.Step> steps =
                runs.orchestrator().map(o -> o.steps(run.id())).orElse(List.of());
        java.util.Set<String> hidden = new java.util.HashSet<>();
        for (Orchestrator.Step s : steps) {
            if (!s.gate() && (s.workflow() == null || !reading.canSee(principal, s.workflow()))) {
                hidden.add(s.id());
            }
        }
        for (Orchestrator.Step s : steps) {
            if (hidden.contains(s.id())) {
                result.add(new StepView(null, s.status(), null, null, true, null));
                continue;
            }
            List<String> after = s.after().stream()
                    .map(a -> hidden.contains(a) ? "a hidden step" : a)
                    .toList();
            String names = String.join(", ", after);
            String comesAfter = after.isEmpty()
                    ? null
                    : switch (s.when()) {
                        case "failure" -> "if " + names + " failed";
                        case "always" -> "after " + names + ", whatever happened";
                        default -> "after " + names;
                    };
            result.add(new StepView(s.id(), s.status(), s.run().orElse(null), s.error(), false, comesAfter));
        }
        return result;
    }

    Optional<Run> chainOf(Principal principal, Run run) {
        return visible(principal, runs.orchestrator().flatMap(o -> o.chainOf(run.id())));
    }

    Optional<Run> resumes(Principal principal, Run run) {
        return visible(principal, runs.orchestrator().flatMap(o -> o.resumes(run.id())));
    }

    Optional<Run> resumedBy(Principal principal, Run run) {
        return visible(principal, runs.orchestrator().flatMap(o -> o.resumedBy(run.id())));
    }

    private Optional<Run> visible(Principal principal, Optional<Run> run) {
        return run.filter(r -> reading.canSee(principal, r.workflowId()));
    }

    /** Added to the run JSON: {@code steps} (chains only), {@code chain}, {@code resumes}, {@code resumedBy}. */
    Map<String, Object> json(Principal principal, Run run) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<StepView> steps = steps(principal, run);
        if (!steps.isEmpty()) {
            List<Object> list = new ArrayList<>();
            for (StepView s : steps) {
                Map<String, Object> step = new LinkedHashMap<>();
                step.put("id", s.id());
                step.put("status", s.status());
                step.put("run", s.run() == null ? null : reference(s.run()));
                if (s.hidden()) {
                    step.put("hidden", true);
                }
                if (s.error() != null) {
                    step.put("error", s.error());
                }
                list.add(step);
            }
            m.put("steps", list);
        }
        chainOf(principal, run).ifPresent(c -> m.put("chain", reference(c)));
        resumes(principal, run).ifPresent(r -> m.put("resumes", reference(r)));
        resumedBy(principal, run).ifPresent(r -> m.put("resumedBy", reference(r)));
        return m;
    }

    private Map<String, Object> reference(Run r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("number", r.number());
        m.put("workflow", r.workflowId());
        m.put("url", url.apply(r));
        return m;
    }
}
