package org.fedoraproject.releng.workflow.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fedoraproject.releng.workflow.run.Run;

/**
 * What a queued run's page and JSON say about the lock it waits for: {@code run} holds it
 * ({@code held}), or is an older queued run that takes it first. {@code run} is null when the
 * reader may not see that run's workflow: the lock's name is the waiting run's, the run in its
 * way is not.
 */
public record LockWaitView(String lock, boolean held, Run run) {

    /** The JSON's {@code waitingFor}; {@code url} is the run's address. */
    Map<String, Object> json(String url) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lock", lock);
        m.put("held", held);
        if (run == null) {
            m.put("run", null);
        } else {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", run.id());
            r.put("number", run.number());
            r.put("workflow", run.workflowId());
            r.put("url", url);
            m.put("run", r);
        }
        return m;
    }

    /** The page's sentence before the link to {@link #run}. */
    public String sentence() {
        if (run == null) {
            return "Waiting for lock " + lock + ", " + (held ? "held by" : "wanted first by") + " a run you cannot see";
        }
        return "Waiting for lock " + lock + ", " + (held ? "held by " : "after ");
    }

    /** What follows the link: why an older run that does not hold the lock goes first. */
    public String after() {
        return run == null || held ? "" : ", queued earlier, which takes it first";
    }
}
