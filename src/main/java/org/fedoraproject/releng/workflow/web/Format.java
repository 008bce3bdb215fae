package org.fedoraproject.releng.workflow.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.fedoraproject.releng.workflow.run.Links;
import org.fedoraproject.releng.workflow.run.Run;

/** Small text helpers for templates. */
public final class Format {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private Format() {}

    public static String time(Instant t) {
        return t == null ? "—" : TIME.format(t);
    }

    public static String iso(Instant t) {
        return t == null ? "" : t.toString();
    }

    public static String duration(Run run) {
        return run.duration().map(Format::duration).orElse("—");
    }

    public static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + (s % 3600) / 60 + " min";
    }

    public static String runPath(Run run) {
        return Links.runPath(run);
    }

    public static String workflowPath(String id) {
        return Links.workflowPath(id);
    }

    /** A parameter as shown: strings as they are, anything else as JSON; secrets are already masked. */
    public record Param(String name, String value) {}

    public static java.util.List<Param> parameters(Run run) {
        java.util.List<Param> result = new java.util.ArrayList<>();
        run.parameters()
                .fields()
                .forEachRemaining(e -> result.add(new Param(
                        e.getKey(),
                        e.getValue().isTextual()
                                ? e.getValue().asText()
                                : e.getValue().toString())));
        return result;
    }

    /** A message body, indented for reading; jte escapes it. */
    public static String json(com.fasterxml.jackson.databind.JsonNode node) {
        try {
            return node == null ? "null" : PRETTY.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(node);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectWriter PRETTY =
            new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter();

    public static String cause(Run run) {
        return run.cause().describe();
    }
}
