package org.fedoraproject.releng.workflow.web;

/**
 * Who is looking at a page, as the layout needs it: the name for the header, the session's CSRF
 * token for forms (null without a session), whether a "Log in" link makes sense, and the current
 * path to come back to after logging in.
 */
public record Viewer(String user, String csrf, boolean loginAvailable, String path) {

    public String loginHref() {
        return "/login?next="
                + java.net.URLEncoder.encode(path == null ? "/" : path, java.nio.charset.StandardCharsets.UTF_8);
    }
}
