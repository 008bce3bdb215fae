package org.fedoraproject.releng.workflow.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The type rules for parameters, used twice: to check a definition (including that its default
 * fits its own type) and to check the values given for a run. Values may arrive as JSON (API) or
 * as form strings (pages, CLI), so {@code "42"} is an integer and {@code "true"} a boolean.
 */
public final class ParameterRules {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final int MAX_STRING = 4096;
    private static final int MAX_TEXT = 1 << 20;

    private ParameterRules() {}

    static ParameterDefinition define(DefinitionSpec.ParameterSpec s, String key, BiConsumer<String, String> error) {
        List<String> problems = new ArrayList<>();
        BiConsumer<String, String> sink = (k, m) -> {
            problems.add(m);
            error.accept(k, m);
        };
        if (s.name() == null || !NAME.matcher(s.name()).matches()) {
            sink.accept(key + ".name", "`" + s.name() + "` must be a valid Ansible variable name (a-z, 0-9, _)");
            return null;
        }
        if (s.name().startsWith("releng_") || s.name().startsWith("ansible_")) {
            sink.accept(key + ".name", "`" + s.name() + "`: names starting with releng_ or ansible_ are reserved");
        }
        ParameterType type;
        try {
            type = ParameterType.parse(s.type() == null ? "string" : s.type());
        } catch (IllegalArgumentException e) {
            sink.accept(key + ".type", e.getMessage());
            return null;
        }
        if (s.choices() != null && s.choices().stream().anyMatch(java.util.Objects::isNull)) {
            sink.accept(key + ".choices", "has an empty entry");
            return null;
        }
        List<String> choices = s.choices() == null ? List.of() : List.copyOf(s.choices());
        for (String choice : choices) {
            if (hasLineBreak(choice)) {
                sink.accept(key + ".choices", "`" + CatalogLoader.shown(choice) + "` must be a single line");
            }
        }
        boolean hasChoices = type == ParameterType.CHOICE || type == ParameterType.MULTICHOICE;
        if (hasChoices && choices.isEmpty()) {
            sink.accept(key + ".choices", "a " + type.id() + " parameter needs a list of choices");
        }
        if (!hasChoices && !choices.isEmpty()) {
            sink.accept(key + ".choices", "only choice and multichoice parameters take choices");
        }
        if (s.pattern() != null) {
            if (type != ParameterType.STRING && type != ParameterType.TEXT) {
                sink.accept(key + ".pattern", "only string and text parameters take a pattern");
            } else {
                try {
                    Pattern.compile(s.pattern());
                    if (!anchored(s.pattern())) {
                        sink.accept(
                                key + ".pattern",
                                "parameter `" + s.name() + "`: pattern must be anchored with ^ and $ (or \\A and \\z)");
                    }
                } catch (PatternSyntaxException e) {
                    sink.accept(key + ".pattern", "not a valid regular expression: " + e.getDescription());
                }
            }
        }
        if ((s.min() != null || s.max() != null) && type != ParameterType.INTEGER) {
            sink.accept(key + ".min", "only integer parameters take min and max");
        }
        if (s.min() != null && s.max() != null && s.min() > s.max()) {
            sink.accept(key + ".min", "min " + s.min() + " is greater than max " + s.max());
        }
        if (type == ParameterType.SECRET && s.defaultValue() != null) {
            sink.accept(key + ".default", "a secret cannot have a default: the catalog is public");
        }
        if (!problems.isEmpty()) {
            return null;
        }
        boolean required = s.required() != null ? s.required() : s.defaultValue() == null;
        ParameterDefinition p = new ParameterDefinition(
                s.name(), type, s.description(), null, required, choices, s.pattern(), s.min(), s.max());
        JsonNode defaultValue = null;
        if (s.defaultValue() != null && !s.defaultValue().isNull()) {
            try {
                defaultValue = coerce(p, s.defaultValue());
            } catch (IllegalArgumentException e) {
                sink.accept(key + ".default", e.getMessage());
                return null;
            }
        }
        return new ParameterDefinition(
                s.name(), type, s.description(), defaultValue, required, choices, s.pattern(), s.min(), s.max());
    }

    /**
     * Checks {@code given} against the workflow's parameters, filling defaults. Parameters that are
     * optional, have no default and were not given are left out, so a playbook uses {@code default()}.
     */
    public static ResolvedParameters resolve(WorkflowDefinition workflow, ObjectNode given) {
        Map<String, String> errors = new HashMap<>();
        ObjectNode visible = JSON.objectNode();
        Map<String, String> secrets = new HashMap<>();
        ObjectNode input = given == null ? JSON.objectNode() : given;
        for (Iterator<String> names = input.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (workflow.parameter(name).isEmpty()) {
                errors.put(
                        name,
                        workflow.parameters().isEmpty()
                                ? "unknown parameter: this workflow takes none"
                                : "unknown parameter; this workflow takes "
                                        + String.join(
                                                ", ",
                                                workflow.parameters().stream()
                                                        .map(ParameterDefinition::name)
                                                        .toList()));
            }
        }
        for (ParameterDefinition p : workflow.parameters()) {
            JsonNode value = input.get(p.name());
            boolean absent = value == null
                    || value.isNull()
                    || (value.isTextual()
                            && value.asText().isEmpty()
                            && p.type() != ParameterType.STRING
                            && p.type() != ParameterType.TEXT);
            if (absent) {
                if (p.defaultValue() != null) {
                    visible.set(p.name(), p.defaultValue());
                } else if (p.required()) {
                    errors.put(p.name(), "required");
                }
                continue;
            }
            try {
                JsonNode checked = coerce(p, value);
                if (p.isSecret()) {
                    secrets.put(p.name(), checked.asText());
                } else {
                    visible.set(p.name(), checked);
                }
            } catch (IllegalArgumentException e) {
                errors.put(p.name(), e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidParametersException(errors);
        }
        return new ResolvedParameters(visible, secrets);
    }

    /** One value made to fit its parameter's type, or an exception whose message says why not. */
    static JsonNode coerce(ParameterDefinition p, JsonNode value) {
        return switch (p.type()) {
            case STRING, TEXT -> {
                String text = text(value, p.type().id());
                int max = p.type() == ParameterType.STRING ? MAX_STRING : MAX_TEXT;
                if (text.length() > max) {
                    throw new IllegalArgumentException("longer than " + max + " characters");
                }
                if (p.type() == ParameterType.STRING && hasLineBreak(text)) {
                    throw new IllegalArgumentException("must be a single line (use a text parameter for several)");
                }
                // the whole value must match: a search lets "https://x\n{{ … }}" pass "^https?://",
                // and "x{{ … }}" pass "^a|x" (the anchor binds one alternative only)
                if (p.pattern() != null
                        && !Pattern.compile(p.pattern()).matcher(text).matches()) {
                    throw new IllegalArgumentException("must match " + p.pattern());
                }
                yield JSON.textNode(text);
            }
            case SECRET -> {
                String text = text(value, "secret");
                if (text.isEmpty()) {
                    throw new IllegalArgumentException("must not be empty");
                }
                if (WeakSecrets.isWeak(text)) {
                    throw new IllegalArgumentException(WeakSecrets.MESSAGE);
                }
                yield JSON.textNode(text);
            }
            case INTEGER -> {
                long n;
                if (value.isIntegralNumber() && value.canConvertToLong()) {
                    n = value.asLong();
                } else if (value.isTextual() && value.asText().trim().matches("-?\\d{1,18}")) {
                    n = Long.parseLong(value.asText().trim());
                } else {
                    throw new IllegalArgumentException("must be a whole number");
                }
                if (p.min() != null && n < p.min()) {
                    throw new IllegalArgumentException("must be at least " + p.min());
                }
                if (p.max() != null && n > p.max()) {
                    throw new IllegalArgumentException("must be at most " + p.max());
                }
                yield JSON.numberNode(n);
            }
            case BOOLEAN -> {
                if (value.isBoolean()) {
                    yield value;
                }
                String text = value.isTextual() ? value.asText().trim().toLowerCase(java.util.Locale.ROOT) : "";
                yield switch (text) {
                    case "true", "on", "yes" -> JSON.booleanNode(true);
                    case "false", "off", "no" -> JSON.booleanNode(false);
                    default -> throw new IllegalArgumentException("must be true or false");
                };
            }
            case CHOICE -> JSON.textNode(choice(p, value));
            case MULTICHOICE -> {
                ArrayNode result = JSON.arrayNode();
                if (value.isArray()) {
                    for (JsonNode item : value) {
                        result.add(choice(p, item));
                    }
                } else {
                    result.add(choice(p, value));
                }
                yield result;
            }
        };
    }

    /**
     * Whether a pattern says where it starts and ends. Values are matched whole in any case; the
     * anchors are required so that the definition reads as it is checked, and so that anyone who
     * reuses the pattern with a search (Python's {@code re.search}, a shell {@code grep}) is as safe.
     */
    static boolean anchored(String pattern) {
        boolean starts = pattern.startsWith("^") || pattern.startsWith("\\A");
        boolean ends = (pattern.endsWith("$") && !escaped(pattern, pattern.length() - 1))
                || (pattern.endsWith("\\z") && !escaped(pattern, pattern.length() - 2));
        return starts && ends;
    }

    /** Whether the character at {@code index} follows an odd number of backslashes. */
    private static boolean escaped(String pattern, int index) {
        int backslashes = 0;
        for (int i = index - 1; i >= 0 && pattern.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /**
     * Every character Unicode counts as a mandatory line break, not only {@code \n}: a page, a log
     * line or a regular expression's {@code $} treats U+2028, U+2029 and NEL as ends of lines too.
     */
    static boolean hasLineBreak(String text) {
        for (int i = 0; i < text.length(); i++) {
            switch (text.charAt(i)) {
                case '\n', '\r', '\u000B', '\u000C', '\u0085', '\u2028', '\u2029' -> {
                    return true;
                }
                default -> {}
            }
        }
        return false;
    }

    private static String text(JsonNode value, String type) {
        if (!value.isTextual()) {
            throw new IllegalArgumentException("must be a " + type + " (a JSON string)");
        }
        return value.asText();
    }

    private static String choice(ParameterDefinition p, JsonNode value) {
        String text = value.isTextual() || value.isNumber() ? value.asText() : null;
        if (text == null || !p.choices().contains(text)) {
            throw new IllegalArgumentException("must be one of " + String.join(", ", p.choices()));
        }
        return text;
    }
}
