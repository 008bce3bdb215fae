package org.fedoraproject.releng.workflow.web;

import java.util.function.Supplier;
import org.fedoraproject.releng.workflow.run.Run;

/**
 * The engine's URLs, shaped as Jenkins' are ({@code /job/<workflow>/<number>/}) so they feel
 * familiar. The base is read when a link is made: with port 0 it is known only once listening.
 */
public final class Links {

    private final Supplier<String> baseUrl;

    public Links(Supplier<String> baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String base() {
        return baseUrl.get();
    }

    public String run(Run run) {
        return baseUrl.get() + runPath(run);
    }

    public String log(Run run) {
        return baseUrl.get() + "/api/runs/" + run.id() + "/log";
    }

    public String workflow(String id) {
        return baseUrl.get() + workflowPath(id);
    }

    public static String runPath(Run run) {
        return "/job/" + run.workflowId() + "/" + run.number() + "/";
    }

    public static String workflowPath(String id) {
        return "/job/" + id + "/";
    }
}
