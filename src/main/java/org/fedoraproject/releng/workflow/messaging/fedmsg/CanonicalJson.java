package org.fedoraproject.releng.workflow.messaging.fedmsg;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON exactly as fedmsg's encoder does, Python's {@code json.dumps(obj, sort_keys=True,
 * separators=(',', ':'))}: keys sorted by code point, no spaces, everything outside printable
 * ASCII escaped. Signatures are computed over this text, so it must match byte for byte.
 *
 * <p>Floats are refused: Python and Java print them differently, and fedmsg itself rounds them.
 */
public final class CanonicalJson {

    /** Python sorts {@code str} keys by code point; Java's {@code compareTo} uses UTF-16 units. */
    private static final Comparator<String> BY_CODE_POINT = (a, b) -> {
        Iterator<Integer> x = a.codePoints().iterator();
        Iterator<Integer> y = b.codePoints().iterator();
        while (x.hasNext() && y.hasNext()) {
            int c = Integer.compare(x.next(), y.next());
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(x.hasNext(), y.hasNext());
    };

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {}

    public static String encode(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, "$", out);
        return out.toString();
    }

    private static void write(JsonNode node, String path, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, path, out);
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), path + "[" + i + "]", out);
                }
                out.append(']');
            }
            case STRING -> writeString(node.textValue(), out);
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            case NUMBER -> {
                if (!node.isIntegralNumber()) {
                    throw new IllegalArgumentException(path + ": floating-point number " + node.asText()
                            + " cannot be encoded for fedmsg; send it as a string or an integer");
                }
                out.append(node.bigIntegerValue().toString());
            }
            default ->
                throw new IllegalArgumentException(
                        path + ": " + node.getNodeType() + " value cannot be encoded as JSON");
        }
    }

    private static void writeObject(JsonNode node, String path, StringBuilder out) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        node.fields().forEachRemaining(fields::add);
        fields.sort(Map.Entry.comparingByKey(BY_CODE_POINT));
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> field : fields) {
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(field.getKey(), out);
            out.append(':');
            write(field.getValue(), path + "." + field.getKey(), out);
        }
        out.append('}');
    }

    /** Python's ensure_ascii escaping: short forms for the usual five, lower-case \\uXXXX else. */
    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c >= 0x20 && c <= 0x7e) {
                        out.append(c);
                    } else {
                        // Astral characters are already two UTF-16 units here, so each becomes
                        // one \\uXXXX of a surrogate pair, as Python writes them.
                        out.append("\\u")
                                .append(HEX[(c >> 12) & 0xf])
                                .append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf])
                                .append(HEX[c & 0xf]);
                    }
                }
            }
        }
        out.append('"');
    }
}
