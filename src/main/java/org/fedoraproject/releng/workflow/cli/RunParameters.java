package org.fedoraproject.releng.workflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns {@code -p} arguments into the trigger's {@code parameters} object (docs/cli.md):
 * {@code key=value} is a string (the engine coerces "3" or "true" to the parameter's type),
 * {@code key=@file} is the file's text, {@code key:=json} is any JSON value, a repeated key makes
 * a list, and for multichoice parameters {@code key=a,b} is split into a list.
 */
final class RunParameters {

    private final ObjectMapper json;

    RunParameters(ObjectMapper json) {
        this.json = json;
    }

    /**
     * @param multichoice asked only when some plain value holds a comma: the names of the
     *     workflow's multichoice parameters
     */
    ObjectNode parse(List<String> specs, Supplier<Set<String>> multichoice) {
        Map<String, List<JsonNode>> values = new LinkedHashMap<>();
        Map<String, Boolean> plain = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw new CliException(ExitCode.USAGE, "-p `" + spec + "`: expected key=value, key=@file or key:=json");
            }
            boolean raw = spec.charAt(eq - 1) == ':';
            String key = spec.substring(0, raw ? eq - 1 : eq).strip();
            String value = spec.substring(eq + 1);
            if (key.isEmpty()) {
                throw new CliException(ExitCode.USAGE, "-p `" + spec + "`: the parameter name is missing");
            }
            JsonNode node;
            if (raw) {
                node = parseJson(key, value);
            } else if (value.startsWith("@")) {
                node = json.getNodeFactory().textNode(readFile(key, Path.of(value.substring(1))));
            } else {
                node = json.getNodeFactory().textNode(value);
                plain.merge(key, value.contains(","), Boolean::logicalOr);
            }
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(node);
        }
        Set<String> split = plain.containsValue(true) ? multichoice.get() : Set.of();
        ObjectNode result = json.createObjectNode();
        values.forEach((key, list) -> {
            if (list.size() == 1 && !split.contains(key)) {
                result.set(key, list.get(0));
                return;
            }
            ArrayNode array = result.putArray(key);
            for (JsonNode item : list) {
                if (split.contains(key) && item.isTextual()) {
                    for (String part : item.asText().split(",")) {
                        if (!part.isBlank()) {
                            array.add(part.strip());
                        }
                    }
                } else {
                    array.add(item);
                }
            }
        });
        return result;
    }

    private JsonNode parseJson(String key, String value) {
        try {
            JsonNode node = json.readTree(value);
            if (node == null || node.isMissingNode()) {
                throw new CliException(
                        ExitCode.USAGE, "-p " + key + ":= needs a JSON value, such as [\"a\",\"b\"], 3 or true");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CliException(ExitCode.USAGE, "-p " + key + ":=… is not JSON: " + e.getOriginalMessage());
        }
    }

    /** One trailing newline is dropped, since editors and {@code echo} add one that nobody meant. */
    private static String readFile(String key, Path file) {
        try {
            String text = Files.readString(file);
            if (text.endsWith("\r\n")) {
                return text.substring(0, text.length() - 2);
            }
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "-p " + key + "=@" + file + ": cannot read the file: " + e);
        }
    }
}
