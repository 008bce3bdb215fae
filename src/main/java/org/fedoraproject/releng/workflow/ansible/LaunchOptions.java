package org.fedoraproject.releng.workflow.ansible;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The Ansible knobs one run asked for (DESIGN.md "Launch options"), already checked against what
 * its workflow allows. Each value becomes its own argument, never part of a shell line. {@code
 * limit} is null when the run targets every host.
 */
public record LaunchOptions(
        boolean check, boolean diff, String limit, List<String> tags, List<String> skipTags, int verbosity) {

    public static final LaunchOptions NONE = new LaunchOptions(false, false, null, List.of(), List.of(), 0);

    public LaunchOptions {
        tags = List.copyOf(tags);
        skipTags = List.copyOf(skipTags);
    }

    /** A check-mode run reports what it would change and changes nothing: a dry run. */
    public boolean isDryRun() {
        return check;
    }

    /** The arguments these options add to {@code ansible-playbook}, in a fixed order. */
    public List<String> arguments() {
        List<String> argv = new ArrayList<>();
        if (check) {
            argv.add("--check");
        }
        if (diff) {
            argv.add("--diff");
        }
        if (limit != null) {
            argv.add("--limit");
            argv.add(limit);
        }
        if (!tags.isEmpty()) {
            argv.add("--tags");
            argv.add(String.join(",", tags));
        }
        if (!skipTags.isEmpty()) {
            argv.add("--skip-tags");
            argv.add(String.join(",", skipTags));
        }
        if (verbosity > 0) {
            argv.add("-" + "v".repeat(verbosity));
        }
        return List.copyOf(argv);
    }

    /** The shape of run JSON, messages and storage: every key present, so readers need not guess. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("check", check);
        node.put("diff", diff);
        if (limit == null) {
            node.putNull("limit");
        } else {
            node.put("limit", limit);
        }
        tags.forEach(node.putArray("tags")::add);
        skipTags.forEach(node.putArray("skipTags")::add);
        node.put("verbosity", verbosity);
        return node;
    }

    /** Reads what {@link #toJson} wrote (stored by the engine, so trusted); null or missing is {@link #NONE}. */
    public static LaunchOptions fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NONE;
        }
        JsonNode limit = node.path("limit");
        return new LaunchOptions(
                node.path("check").asBoolean(false),
                node.path("diff").asBoolean(false),
                limit.isTextual() ? limit.asText() : null,
                strings(node.path("tags")),
                strings(node.path("skipTags")),
                node.path("verbosity").asInt(0));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
