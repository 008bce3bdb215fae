package org.fedoraproject.releng.workflow.run;

/**
 * Every URL the engine hands out, shaped as Jenkins' are ({@code /job/<workflow>/<number>/}) so
 * they feel familiar. One value, built once the base is known (from {@code server.baseUrl}, or
 * from the address the engine listens on); pages, the API, messages, Ansible's run metadata and
 * the OIDC redirect all name the engine through it.
 */
public record Links(String base) {

    public Links {
        java.util.Objects.requireNonNull(base, "base");
    }

    /** The base when none is configured: the address listened on, or localhost for a wildcard one. */
    public static Links listeningOn(String host, int port) {
        boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        String named = wildcard ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
        return new Links("http://" + named + ":" + port);
    }

    public String run(Run run) {
        return base + runPath(run);
    }

    public String log(Run run) {
        return base + "/api/runs/" + run.id() + "/log";
    }

    public String workflow(String id) {
        return base + workflowPath(id);
    }

    /** Where the OIDC provider sends the browser back; the provider must know it. */
    public String loginCallback() {
        return base + "/login/callback";
    }

    public String home() {
        return base + "/";
    }

    /** Cookies get {@code Secure} when the engine is reached over HTTPS. */
    public boolean secure() {
        return base.startsWith("https://");
    }

    public static String runPath(Run run) {
        return "/job/" + run.workflowId() + "/" + run.number() + "/";
    }

    public static String workflowPath(String id) {
        return "/job/" + id + "/";
    }
}
