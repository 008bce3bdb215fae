package org.fedoraproject.releng.workflow.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Remembers the line of every key and list item in a YAML document ({@code parameters[1].type} to
 * line 12), because a tree loses positions and errors are only useful with a line number. Also
 * notes the first alias ({@code *name}), which a tree shows as plain text.
 */
final class YamlLines {

    private static final class Frame {
        final boolean array;
        String key;
        int index;

        Frame(boolean array) {
            this.array = array;
        }
    }

    private final Map<String, Integer> lines = new HashMap<>();
    private final Deque<Frame> stack = new ArrayDeque<>();
    private String firstAlias;
    private int firstAliasLine;

    private YamlLines() {}

    static YamlLines of(String text) {
        YamlLines result = new YamlLines();
        try (JsonParser parser = new YAMLFactory().createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                result.accept(token, parser);
            }
        } catch (IOException e) {
            // the caller reports the syntax error with its own location
        }
        return result;
    }

    private void accept(JsonToken token, JsonParser parser) throws IOException {
        int line = parser.currentTokenLocation().getLineNr();
        if (firstAlias == null && parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            firstAlias = parser.getText();
            firstAliasLine = line;
        }
        switch (token) {
            case FIELD_NAME -> {
                stack.peek().key = parser.currentName();
                lines.putIfAbsent(path(), line);
            }
            case START_OBJECT, START_ARRAY -> {
                if (!stack.isEmpty() && stack.peek().array) {
                    lines.putIfAbsent(path(), line);
                }
                stack.push(new Frame(token == JsonToken.START_ARRAY));
            }
            case END_OBJECT, END_ARRAY -> {
                stack.pop();
                valueEnded();
            }
            default -> {
                if (!stack.isEmpty() && stack.peek().array) {
                    lines.putIfAbsent(path(), line);
                }
                valueEnded();
            }
        }
    }

    private void valueEnded() {
        if (!stack.isEmpty() && stack.peek().array) {
            stack.peek().index++;
        }
    }

    private String path() {
        StringBuilder sb = new StringBuilder();
        for (Iterator<Frame> it = stack.descendingIterator(); it.hasNext(); ) {
            Frame f = it.next();
            if (f.array) {
                sb.append('[').append(f.index).append(']');
            } else if (f.key != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(f.key);
            }
        }
        return sb.toString();
    }

    /** The name of the first alias in the document, or null when it has none. */
    String firstAlias() {
        return firstAlias;
    }

    int firstAliasLine() {
        return firstAliasLine;
    }

    /** The line of {@code key}, or of its nearest enclosing key, or 0 when unknown. */
    int lineOf(String key) {
        String k = key;
        while (!k.isEmpty()) {
            Integer line = lines.get(k);
            if (line != null) {
                return line;
            }
            int cut = Math.max(k.lastIndexOf('.'), k.lastIndexOf('['));
            k = cut <= 0 ? "" : k.substring(0, cut);
        }
        return 0;
    }
}
