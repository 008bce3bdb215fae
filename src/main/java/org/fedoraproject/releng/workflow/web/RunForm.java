package org.fedoraproject.releng.workflow.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedoraproject.releng.workflow.catalog.ParameterDefinition;
import org.fedoraproject.releng.workflow.catalog.ParameterType;
import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;

/**
 * The "Run" form of a workflow page: typed inputs per parameter, and turning a submitted form into
 * the same JSON parameters the API takes, so both go through one validation. An empty field means
 * "not given" (the default applies); an unticked checkbox means false.
 */
public final class RunForm {

    private static final String OPTION = "option.";

    private RunForm() {}

    static ObjectNode parameters(Context ctx, WorkflowDefinition workflow) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (ParameterDefinition p : workflow.parameters()) {
            switch (p.type()) {
                case BOOLEAN -> node.put(p.name(), ctx.formParam(p.name()) != null);
                case MULTICHOICE -> {
                    ArrayNode list = node.putArray(p.name());
                    ctx.formParams(p.name()).forEach(list::add);
                }
                default -> {
                    String value = ctx.formParam(p.name());
                    if (value != null && !value.isEmpty()) {
                        node.put(p.name(), value);
                    }
                }
            }
        }
        return node;
    }

    /**
     * The launch options ticked or typed (fields {@code option.<name>}: a parameter name cannot
     * hold a dot), as the API's {@code options} object; null when none were asked for.
     */
    static ObjectNode options(Context ctx) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (String flag : List.of("check", "diff")) {
            if (ctx.formParam(OPTION + flag) != null) {
                node.put(flag, true);
            }
        }
        String limit = ctx.formParam(OPTION + "limit");
        if (limit != null && !limit.isEmpty()) {
            node.put("limit", limit);
        }
        for (String kind : List.of("tags", "skipTags")) {
            ArrayNode tags = JsonNodeFactory.instance.arrayNode();
            // checkboxes give one value each; the free-text field (tags: true) gives a comma-separated list
            for (String value : ctx.formParams(OPTION + kind)) {
                for (String tag : value.split(",", -1)) {
                    if (!tag.isBlank()) {
                        tags.add(tag.strip());
                    }
                }
            }
            if (!tags.isEmpty()) {
                node.set(kind, tags);
            }
        }
        String verbosity = ctx.formParam(OPTION + "verbosity");
        if (verbosity != null && !verbosity.isEmpty() && !verbosity.equals("0")) {
            try {
                node.put("verbosity", Integer.parseInt(verbosity));
            } catch (NumberFormatException e) {
                node.put("verbosity", verbosity);
            }
        }
        return node.isEmpty() ? null : node;
    }

    /** The submitted values of launch option {@code name}, to show the form again as it was sent. */
    public static List<String> option(Map<String, List<String>> submitted, String name) {
        return submitted == null ? List.of() : submitted.getOrDefault(OPTION + name, List.of());
    }

    /** What was typed, to show again beside the error messages; secrets are never sent back. */
    static Map<String, List<String>> submitted(Context ctx, WorkflowDefinition workflow) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String name : List.of("check", "diff", "limit", "tags", "skipTags", "verbosity")) {
            values.put(OPTION + name, List.copyOf(ctx.formParams(OPTION + name)));
        }
        for (ParameterDefinition p : workflow.parameters()) {
            if (!p.isSecret()) {
                values.put(p.name(), List.copyOf(ctx.formParams(p.name())));
            }
        }
        return values;
    }

    /**
     * The form as {@code run} was started (Rebuild): its values, those of parameters it did not
     * have from their defaults, and secrets blank, as they were never kept.
     */
    private static Map<String, List<String>> fromParameters(WorkflowDefinition workflow, ObjectNode parameters) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (ParameterDefinition p : workflow.parameters()) {
            JsonNode given = parameters.get(p.name());
            List<String> list = new ArrayList<>();
            if (p.isSecret()) {
                // blank: the stored value is only "****"
            } else if (given == null || given.isNull()) {
                list.addAll(values(p, null));
                if (p.type() == ParameterType.BOOLEAN && !checked(p, null)) {
                    list.clear();
                }
            } else if (given.isArray()) {
                given.forEach(v -> list.add(v.asText()));
            } else if (p.type() == ParameterType.BOOLEAN) {
                if (given.asBoolean(false)) {
                    list.add("true");
                }
            } else {
                list.add(given.asText());
            }
            values.put(p.name(), list);
        }
        return values;
    }

    static Map<String, List<String>> fromRun(
            WorkflowDefinition workflow, org.fedoraproject.releng.workflow.run.Run run) {
        return fromParameters(workflow, run.parameters());
    }

    /** The values an input starts with: what was submitted, else the parameter's default. */
    public static List<String> values(ParameterDefinition p, Map<String, List<String>> submitted) {
        if (submitted != null) {
            return submitted.getOrDefault(p.name(), List.of());
        }
        JsonNode d = p.defaultValue();
        List<String> values = new ArrayList<>();
        if (d == null || d.isNull()) {
            return values;
        }
        if (d.isArray()) {
            d.forEach(v -> values.add(v.asText()));
        } else if (p.type() != ParameterType.SECRET) {
            values.add(d.asText());
        }
        return values;
    }

    public static String value(ParameterDefinition p, Map<String, List<String>> submitted) {
        List<String> v = values(p, submitted);
        return v.isEmpty() ? "" : v.get(0);
    }

    public static boolean selected(ParameterDefinition p, Map<String, List<String>> submitted, String choice) {
        return values(p, submitted).contains(choice);
    }

    public static boolean checked(ParameterDefinition p, Map<String, List<String>> submitted) {
        if (submitted != null) {
            return !submitted.getOrDefault(p.name(), List.of()).isEmpty();
        }
        return p.defaultValue() != null && p.defaultValue().asBoolean(false);
    }

    /** Errors that belong to no field of the form (an unknown parameter, say), as "name: message". */
    public static List<String> otherErrors(WorkflowDefinition workflow, Map<String, String> errors) {
        List<String> other = new ArrayList<>();
        errors.forEach((name, message) -> {
            // launch options show their errors beside their own fields
            if (!name.startsWith("options.")
                    && workflow.parameters().stream().noneMatch(p -> p.name().equals(name))) {
                other.add(name + ": " + message);
            }
        });
        return other;
    }
}
