package org.fedoraproject.releng.workflow.run;

import java.util.Optional;

/**
 * Why a run exists: {@code type} is manual, api, schedule, message, pipeline, relaunch, chain (a
 * step of a chain, detail = the chain run's URL) or resume (a failed chain resumed);
 * {@code user} is the person or account behind it (null for schedules and messages);
 * {@code detail} says more (a message topic and id, a Jenkins build URL, the relaunched run);
 * {@code reason} is what the person who started it wrote, if anything (see {@link #checkReason}).
 */
public record Cause(String type, String user, String detail, String reason) {

    /** The most a reason may hold: a sentence or two, not a document. */
    public static final int REASON_SIZE = 500;

    public Cause(String type, String user, String detail) {
        this(type, user, detail, null);
    }

    public static Cause manual(String user) {
        return new Cause("manual", user, null);
    }

    public static Cause api(String account) {
        return new Cause("api", account, null);
    }

    /** The same cause with the reason someone gave (blank means none). */
    public Cause because(String given) {
        return new Cause(type, user, detail, given == null || given.isBlank() ? null : given.strip());
    }

    /**
     * What is wrong with a reason someone gave, if anything: it is shown on pages and sent in
     * messages, so it stays one short line of text (no control characters, which would break
     * logs and terminals, and at most {@link #REASON_SIZE} characters).
     */
    public static Optional<String> checkReason(String reason) {
        if (reason == null) {
            return Optional.empty();
        }
        if (reason.codePointCount(0, reason.length()) > REASON_SIZE) {
            return Optional.of("must be at most " + REASON_SIZE + " characters");
        }
        if (reason.codePoints().anyMatch(Character::isISOControl)) {
            return Optional.of("must be one line of text, without control characters");
        }
        return Optional.empty();
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
            case "chain" -> user == null ? "Started as a step of a chain" : "Started as a step of a chain for" + who;
            case "resume" -> "Resumed by" + who;
            default -> "Started (" + type + ")" + who;
        };
        return detail == null || detail.isBlank() ? why : why + " (" + detail + ")";
    }
}
