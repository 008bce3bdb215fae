package org.fedoraproject.releng.workflow.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.fedoraproject.releng.workflow.ansible.LaunchOptions;

/**
 * Checks the launch options asked for a run against what its workflow allows. Each value reaches
 * {@code ansible-playbook} as one argument, but Ansible still reads it: a host pattern starting
 * with {@code @} names a file to read hosts from, so patterns are held to the characters of
 * Ansible's host-pattern grammar (names, {@code *}, {@code :} {@code ,} separators, {@code !}
 * and {@code &}, {@code [0:5]} ranges) and tags to the allowed list. Errors are keyed {@code
 * options.<name>}, as the API reports them.
 */
public final class LaunchOptionRules {

    static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final Pattern HOST_PATTERN = Pattern.compile("[A-Za-z0-9_.*:!&,\\[\\]-]+");
    private static final int MAX_LIMIT = 1000;
    private static final Set<String> NAMES = Set.of("check", "diff", "limit", "tags", "skipTags", "verbosity");
    private static final String NOT_ALLOWED = "not allowed for this workflow";

    private LaunchOptionRules() {}

    /** The options to run with; {@code given} null (none asked) is {@link LaunchOptions#NONE}. */
    public static LaunchOptions resolve(WorkflowDefinition workflow, JsonNode given) {
        Map<String, String> errors = new TreeMap<>();
        LaunchOptions options = resolve(workflow.options(), given, errors);
        if (!errors.isEmpty()) {
            throw new InvalidParametersException(errors);
        }
        return options;
    }

    /** As {@link #resolve(WorkflowDefinition, JsonNode)}, adding each problem to {@code errors}. */
    public static LaunchOptions resolve(AllowedOptions allowed, JsonNode given, Map<String, String> errors) {
        if (given == null || given.isNull() || given.isMissingNode()) {
            return LaunchOptions.NONE;
        }
        if (!given.isObject()) {
            errors.put("options", "must be a JSON object such as {\"check\": true}");
            return LaunchOptions.NONE;
        }
        given.fieldNames().forEachRemaining(name -> {
            if (!NAMES.contains(name)) {
                errors.put("options." + name, "unknown option; known: check, diff, limit, tags, skipTags, verbosity");
            }
        });
        boolean check = flag(given, "check", allowed.check(), errors);
        boolean diff = flag(given, "diff", allowed.diff(), errors);
        String limit = limit(given.get("limit"), allowed.limit(), errors);
        List<String> tags = tags(given.get("tags"), "tags", allowed, errors);
        List<String> skipTags = tags(given.get("skipTags"), "skipTags", allowed, errors);
        int verbosity = verbosity(given.get("verbosity"), allowed.verbosity(), errors);
        return new LaunchOptions(check, diff, limit, tags, skipTags, verbosity);
    }

    private static boolean flag(JsonNode given, String name, boolean allowed, Map<String, String> errors) {
        JsonNode value = given.get(name);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            errors.put("options." + name, "must be true or false");
            return false;
        }
        if (value.booleanValue() && !allowed) {
            errors.put("options." + name, NOT_ALLOWED);
            return false;
        }
        return value.booleanValue();
    }

    private static String limit(JsonNode value, boolean allowed, Map<String, String> errors) {
        if (value == null
                || value.isNull()
                || (value.isTextual() && value.asText().isEmpty())) {
            return null;
        }
        String key = "options.limit";
        if (!value.isTextual()) {
            errors.put(key, "must be a host pattern such as \"compose-x86-*\"");
            return null;
        }
        if (!allowed) {
            errors.put(key, NOT_ALLOWED);
            return null;
        }
        String pattern = value.asText();
        if (pattern.startsWith("@")) {
            errors.put(key, "must not start with @ (Ansible would read host names from a file)");
        } else if (pattern.startsWith("-")) {
            errors.put(key, "must not start with -");
        } else if (pattern.length() > MAX_LIMIT) {
            errors.put(key, "is longer than " + MAX_LIMIT + " characters");
        } else if (!HOST_PATTERN.matcher(pattern).matches()) {
            errors.put(
                    key,
                    "`" + CatalogLoader.shown(pattern) + "` may hold only letters, digits and . _ - * : , ! & [ ]");
        } else {
            return pattern;
        }
        return null;
    }

    private static List<String> tags(JsonNode value, String name, AllowedOptions allowed, Map<String, String> errors) {
        if (value == null || value.isNull() || (value.isArray() && value.isEmpty())) {
            return List.of();
        }
        String key = "options." + name;
        if (!value.isArray()) {
            errors.put(key, "must be a list of tags such as [\"sync\"]");
            return List.of();
        }
        if (!allowed.allowsTags()) {
            errors.put(key, NOT_ALLOWED);
            return List.of();
        }
        Set<String> chosen = new LinkedHashSet<>();
        List<String> refused = new ArrayList<>();
        for (JsonNode tag : value) {
            String text = tag.isTextual() ? tag.asText() : null;
            boolean ok = text != null
                    && (allowed.anyTag()
                            ? TAG.matcher(text).matches()
                            : allowed.tags().contains(text));
            if (ok) {
                chosen.add(text);
            } else {
                refused.add(text == null ? tag.toString() : "`" + CatalogLoader.shown(text) + "`");
            }
        }
        if (!refused.isEmpty()) {
            errors.put(
                    key,
                    String.join(", ", refused)
                            + (allowed.anyTag()
                                    ? ": a tag may hold only letters, digits and . _ -"
                                    : ": must be among " + String.join(", ", allowed.tags())));
            return List.of();
        }
        return List.copyOf(chosen);
    }

    private static int verbosity(JsonNode value, int allowed, Map<String, String> errors) {
        if (value == null || value.isNull()) {
            return 0;
        }
        String key = "options.verbosity";
        if (!value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > AllowedOptions.MAX_VERBOSITY) {
            errors.put(key, "must be a whole number from 0 to " + AllowedOptions.MAX_VERBOSITY);
            return 0;
        }
        int level = value.asInt();
        if (level > allowed) {
            errors.put(key, allowed == 0 ? NOT_ALLOWED : "at most " + allowed + " for this workflow");
            return 0;
        }
        return level;
    }
}
