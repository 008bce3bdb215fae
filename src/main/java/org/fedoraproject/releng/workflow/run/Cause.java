package org.fedoraproject.releng.workflow.run;

/**
 * Why a run exists: {@code type} is manual, api, schedule, message, pipeline or relaunch;
 * {@code user} is the person or account behind it (null for schedules and messages);
 * {@code detail} says more (a message topic and id, a Jenkins build URL, the relaunched run).
 */
public record Cause(String type, String user, String detail) {

    public static Cause manual(String user) {
        return new Cause("manual", user, null);
    }

    public static Cause api(String account) {
        return new Cause("api", account, null);
    }

    /** The line a console log starts with, as Jenkins writes "Started by user …". */
    public String describe() {
        String who = user == null ? "" : " " + user;
        String why = switch (type) {
            case "manual" -> "Started by user" + who;
            case "api" -> "Started through the API by" + who;
            case "schedule" -> "Started by schedule";
            case "message" -> "Started by a bus message";
            case "pipeline" -> "Started by a Jenkins pipeline as" + who;
            case "relaunch" -> "Relaunched by" + who;
            default -> "Started (" + type + ")" + who;
        };
        return detail == null || detail.isBlank() ? why : why + " (" + detail + ")";
    }
}
