package org.fedoraproject.releng.workflow.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The references a chain step's parameter values may hold, and their replacement. Only two forms
 * exist, {@code ${parameters.NAME}} and {@code ${steps.STEP.outputs.NAME}}: there are no
 * expressions, and a replaced value is never looked at again, so a value holding {@code ${…}} or
 * {@code {{ … }}} arrives as the literal text it is.
 */
public final class StepValues {

    private static final Pattern PARAMETER = Pattern.compile("parameters\\.([a-z_][a-z0-9_]*)");
    private static final Pattern OUTPUT =
            Pattern.compile("steps\\.([a-z0-9][a-z0-9-]*)\\.outputs\\.([A-Za-z_][A-Za-z0-9_]*)");

    private StepValues() {}

    /** What a reference names. */
    public sealed interface Reference permits ParameterReference, OutputReference {
        String text();
    }

    public record ParameterReference(String name) implements Reference {
        @Override
        public String text() {
            return "${parameters." + name + "}";
        }
    }

    public record OutputReference(String step, String name) implements Reference {
        @Override
        public String text() {
            return "${steps." + step + ".outputs." + name + "}";
        }
    }

    /** A piece of a template: literal text, or a reference. */
    private record Part(String literal, Reference reference) {}

    /**
     * The references in a value (only text holds any).
     *
     * @throws IllegalArgumentException naming the first malformed {@code ${…}}
     */
    public static List<Reference> references(JsonNode value) {
        List<Reference> result = new ArrayList<>();
        if (value != null && value.isTextual()) {
            for (Part part : parts(value.asText())) {
                if (part.reference() != null) {
                    result.add(part.reference());
                }
            }
        }
        return result;
    }

    /**
     * The value with each reference replaced by what {@code lookup} answers. A value that is one
     * reference alone takes the referenced value as it is (an integer stays an integer); else each
     * replacement is inserted as text.
     */
    public static JsonNode substitute(JsonNode value, Function<Reference, JsonNode> lookup) {
        if (value == null || !value.isTextual()) {
            return value;
        }
        List<Part> parts = parts(value.asText());
        if (parts.size() == 1 && parts.get(0).reference() != null) {
            return lookup.apply(parts.get(0).reference());
        }
        StringBuilder sb = new StringBuilder();
        for (Part part : parts) {
            if (part.reference() == null) {
                sb.append(part.literal());
            } else {
                JsonNode found = lookup.apply(part.reference());
                sb.append(found.isValueNode() ? found.asText() : found.toString());
            }
        }
        return TextNode.valueOf(sb.toString());
    }

    private static List<Part> parts(String text) {
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int start = text.indexOf("${", at);
            if (start < 0) {
                parts.add(new Part(text.substring(at), null));
                break;
            }
            if (start > at) {
                parts.add(new Part(text.substring(at, start), null));
            }
            int end = text.indexOf('}', start);
            if (end < 0) {
                throw new IllegalArgumentException("`" + CatalogLoader.shown(text.substring(start))
                        + "` is not closed; write ${parameters.NAME} or ${steps.STEP.outputs.NAME}");
            }
            parts.add(new Part(null, reference(text.substring(start + 2, end))));
            at = end + 1;
        }
        return parts;
    }

    private static Reference reference(String inside) {
        Matcher m = PARAMETER.matcher(inside);
        if (m.matches()) {
            return new ParameterReference(m.group(1));
        }
        m = OUTPUT.matcher(inside);
        if (m.matches()) {
            return new OutputReference(m.group(1), m.group(2));
        }
        throw new IllegalArgumentException("`${" + CatalogLoader.shown(inside)
                + "}` is not a reference: only ${parameters.NAME} and ${steps.STEP.outputs.NAME} are (no expressions)");
    }
}
