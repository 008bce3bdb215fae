package org.fedoraproject.releng.workflow.ansible;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a run's extra vars as the YAML that {@code ansible-playbook -e @file} reads, with every
 * string at any depth, mapping keys included, tagged {@code !unsafe}: Ansible then never templates
 * them, so {@code {{ … }}} or {@code {% … %}} in a parameter, a message or a secret stays text.
 * JSON cannot carry that tag, which is why the file is YAML.
 *
 * <p>Numbers, booleans and nulls stay plain and collections keep their shape, so any JSON value
 * arrives equal to what was given, its strings marked unsafe. Only the engine's own expressions,
 * passed apart as {@code templated}, are written untagged.
 *
 * <p>The whole document is one flow mapping of double-quoted scalars: no YAML-special text
 * ({@code yes}, {@code ~}, {@code *a}, {@code - x}) can change meaning inside quotes; everything
 * outside printable ASCII is escaped, because the YAML reader refuses raw control characters; and
 * every key is explicit ({@code ? key : value}), because YAML drops implicit keys over 1024
 * characters.
 */
public final class UnsafeExtraVars {

    /** Top-level names are variable names the engine chose, checked so that no value can pose as one. */
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UnsafeExtraVars() {}

    /** {@code values} become unsafe data; {@code templated} maps names to expressions Ansible must evaluate. */
    public static String yaml(ObjectNode values, Map<String, String> templated) {
        StringBuilder out = new StringBuilder("{");
        String separator = "";
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.append(separator).append("? ");
            quoted(out, variable(e.getKey()));
            out.append(" : ");
            value(out, e.getValue());
            separator = ",\n ";
        }
        for (Map.Entry<String, String> e : templated.entrySet()) {
            if (values.has(e.getKey())) {
                throw new IllegalArgumentException(
                        "extra var `" + e.getKey() + "` is given both as data and as an expression");
            }
            out.append(separator).append("? ");
            quoted(out, variable(e.getKey()));
            out.append(" : ");
            quoted(out, e.getValue());
            separator = ",\n ";
        }
        return out.append("}\n").toString();
    }

    private static String variable(String name) {
        if (!VARIABLE.matcher(name).matches()) {
            throw new IllegalArgumentException("`" + name + "` is not a valid Ansible variable name");
        }
        return name;
    }

    private static void value(StringBuilder out, JsonNode node) {
        switch (node.getNodeType()) {
            case STRING -> unsafe(out, node.textValue());
            case NUMBER -> number(out, node);
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case NULL, MISSING -> out.append("null");
            case ARRAY -> {
                out.append('[');
                String separator = "";
                for (JsonNode item : node) {
                    out.append(separator);
                    value(out, item);
                    separator = ", ";
                }
                out.append(']');
            }
            case OBJECT -> {
                out.append('{');
                String separator = "";
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    out.append(separator).append("? ");
                    unsafe(out, e.getKey());
                    out.append(" : ");
                    value(out, e.getValue());
                    separator = ", ";
                }
                out.append('}');
            }
            default ->
                throw new IllegalArgumentException("an extra var cannot hold a " + node.getNodeType() + " value");
        }
    }

    private static void number(StringBuilder out, JsonNode node) {
        if (node.isIntegralNumber()) {
            out.append(node.bigIntegerValue());
            return;
        }
        // as Python's json would read it: a double
        double d = node.doubleValue();
        if (Double.isNaN(d)) {
            out.append(".nan");
        } else if (Double.isInfinite(d)) {
            out.append(d > 0 ? ".inf" : "-.inf");
        } else {
            // YAML 1.1 takes 1.0E10 for a string: its floats need a dot (Java always writes one)
            // and a signed exponent
            String text = Double.toString(d).replace('E', 'e');
            out.append(text.contains("e") && !text.contains("e-") ? text.replace("e", "e+") : text);
        }
    }

    private static void unsafe(StringBuilder out, String text) {
        out.append("!unsafe ");
        quoted(out, text);
    }

    /** A YAML double-quoted scalar holding exactly {@code text}, in printable ASCII. */
    static void quoted(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == '"' || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append((char) c);
            } else if (c < 0x100) {
                escape(out, 'x', c, 2);
            } else if (c > 0xffff) {
                escape(out, 'U', c, 8);
            } else if (Character.isSurrogate((char) c)) {
                // half of a pair (JSON's "\ud800" escape allows one): neither YAML nor UTF-8 can
                // carry it, so it becomes the replacement character, as a UTF-8 encoder would make it
                out.append("\\uFFFD");
            } else {
                escape(out, 'u', c, 4);
            }
        }
        out.append('"');
    }

    private static void escape(StringBuilder out, char kind, int c, int digits) {
        out.append('\\').append(kind);
        for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
            out.append(HEX[(c >> shift) & 0xf]);
        }
    }
}
