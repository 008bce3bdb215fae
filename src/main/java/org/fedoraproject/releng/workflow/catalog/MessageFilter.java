package org.fedoraproject.releng.workflow.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A trigger's {@code filter}: a small boolean expression over a message, parsed once when the
 * catalog loads so that a typo breaks the definition instead of silently never matching.
 *
 * <pre>
 * expr    := or
 * or      := and ('||' and)*
 * and     := unary ('&amp;&amp;' unary)*
 * unary   := '!' unary | compare
 * compare := operand (('==' | '!=') operand | '=~' string)?
 * operand := '(' expr ')' | path | 'str' | "str" | number | true | false | null
 * path    := '$' ('.' name | '[' index ']' | '[' string ']')*
 * </pre>
 *
 * A path that leads nowhere is {@code null}. {@code ==} compares JSON values (numbers by value);
 * values of different types are not equal; {@code !=} is its negation. {@code =~} searches the
 * left string with a Java regular expression and is false for anything but a string. A bare
 * operand is true only when it is JSON {@code true}.
 */
public final class MessageFilter {

    private final String text;
    private final Node root;

    private MessageFilter(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /** @throws IllegalArgumentException naming the 1-based position of the first problem */
    public static MessageFilter parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty filter");
        }
        return new MessageFilter(text, new Parser(text).parseAll());
    }

    /** Null or blank: a filter that matches everything. */
    public static MessageFilter parseOrAll(String text) {
        return text == null || text.isBlank() ? new MessageFilter("", new Literal(bool(true))) : parse(text);
    }

    public boolean matches(JsonNode message) {
        return truthy(root.eval(message));
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    private static boolean truthy(Object value) {
        return value instanceof JsonNode n && n.isBoolean() && n.booleanValue();
    }

    private interface Node {
        /** A {@link JsonNode}, or null for JSON null and missing paths. */
        Object eval(JsonNode root);
    }

    private record Literal(JsonNode value) implements Node {
        @Override
        public Object eval(JsonNode root) {
            return value == null || value.isNull() ? null : value;
        }
    }

    private record Path(List<Object> steps) implements Node {
        @Override
        public Object eval(JsonNode root) {
            JsonNode at = root;
            for (Object step : steps) {
                if (at == null) {
                    return null;
                }
                at = step instanceof Integer i
                        ? (at.isArray() ? at.get(i) : null)
                        : (at.isObject() ? at.get((String) step) : null);
            }
            return at == null || at.isNull() || at.isMissingNode() ? null : at;
        }
    }

    private record Not(Node inner) implements Node {
        @Override
        public Object eval(JsonNode root) {
            return bool(!truthy(inner.eval(root)));
        }
    }

    private record And(Node left, Node right) implements Node {
        @Override
        public Object eval(JsonNode root) {
            return bool(truthy(left.eval(root)) && truthy(right.eval(root)));
        }
    }

    private record Or(Node left, Node right) implements Node {
        @Override
        public Object eval(JsonNode root) {
            return bool(truthy(left.eval(root)) || truthy(right.eval(root)));
        }
    }

    private record Equals(Node left, Node right, boolean negate) implements Node {
        @Override
        public Object eval(JsonNode root) {
            return bool(same(left.eval(root), right.eval(root)) != negate);
        }

        private static boolean same(Object a, Object b) {
            if (a == null || b == null) {
                return a == b;
            }
            JsonNode x = (JsonNode) a;
            JsonNode y = (JsonNode) b;
            if (x.isNumber() && y.isNumber()) {
                return x.decimalValue().compareTo(y.decimalValue()) == 0;
            }
            return x.equals(y);
        }
    }

    private record Search(Node left, Pattern pattern) implements Node {
        @Override
        public Object eval(JsonNode root) {
            Object value = left.eval(root);
            return bool(value instanceof JsonNode n
                    && n.isTextual()
                    && pattern.matcher(n.textValue()).find());
        }
    }

    private static JsonNode bool(boolean b) {
        return com.fasterxml.jackson.databind.node.BooleanNode.valueOf(b);
    }

    /** Recursive descent over the text; {@code pos} is 0-based, messages say 1-based. */
    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        Node parseAll() {
            Node node = or();
            skipSpace();
            if (pos < s.length()) {
                throw error("unexpected `" + s.charAt(pos) + "`; expected `&&`, `||` or the end");
            }
            return node;
        }

        private Node or() {
            Node left = and();
            while (take("||")) {
                left = new Or(left, and());
            }
            return left;
        }

        private Node and() {
            Node left = unary();
            while (take("&&")) {
                left = new And(left, unary());
            }
            return left;
        }

        private Node unary() {
            skipSpace();
            if (peek('!') && !s.startsWith("!=", pos)) {
                pos++;
                return new Not(unary());
            }
            return compare();
        }

        private Node compare() {
            Node left = operand();
            if (take("==")) {
                return new Equals(left, operand(), false);
            }
            if (take("!=")) {
                return new Equals(left, operand(), true);
            }
            if (take("=~")) {
                skipSpace();
                int at = pos;
                if (!peek('\'') && !peek('"')) {
                    throw error("`=~` needs a quoted regular expression on its right");
                }
                String regex = string();
                try {
                    return new Search(left, Pattern.compile(regex));
                } catch (PatternSyntaxException e) {
                    pos = at;
                    throw error("bad regular expression: " + e.getDescription());
                }
            }
            return left;
        }

        private Node operand() {
            skipSpace();
            if (pos >= s.length()) {
                throw error("unexpected end; expected a path, a value or `(`");
            }
            char c = s.charAt(pos);
            if (c == '(') {
                pos++;
                Node inner = or();
                if (!take(")")) {
                    throw error("expected `)`");
                }
                return inner;
            }
            if (c == '$') {
                return path();
            }
            if (c == '\'' || c == '"') {
                return new Literal(com.fasterxml.jackson.databind.node.TextNode.valueOf(string()));
            }
            if (c == '-' || Character.isDigit(c)) {
                return new Literal(number());
            }
            if (Character.isLetter(c)) {
                int start = pos;
                String word = name();
                return switch (word) {
                    case "true" -> new Literal(bool(true));
                    case "false" -> new Literal(bool(false));
                    case "null" -> new Literal(null);
                    default -> {
                        pos = start;
                        throw error("unknown word `" + word + "`; paths start with `$` and strings are quoted");
                    }
                };
            }
            throw error("unexpected `" + c + "`; expected a path, a value or `(`");
        }

        private Node path() {
            pos++; // $
            List<Object> steps = new ArrayList<>();
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '.') {
                    pos++;
                    if (pos >= s.length() || !isNameStart(s.charAt(pos))) {
                        throw error("expected a field name after `.`");
                    }
                    steps.add(name());
                } else if (c == '[') {
                    pos++;
                    skipSpace();
                    if (peek('\'') || peek('"')) {
                        steps.add(string());
                    } else if (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                        int start = pos;
                        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                            pos++;
                        }
                        steps.add(Integer.parseInt(s.substring(start, pos)));
                    } else {
                        throw error("expected an index or a quoted name inside `[ ]`");
                    }
                    skipSpace();
                    if (!peek(']')) {
                        throw error("expected `]`");
                    }
                    pos++;
                } else {
                    break;
                }
            }
            return new Path(List.copyOf(steps));
        }

        private String name() {
            int start = pos;
            while (pos < s.length()
                    && (isNameStart(s.charAt(pos)) || Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '-')) {
                pos++;
            }
            return s.substring(start, pos);
        }

        private static boolean isNameStart(char c) {
            return Character.isLetter(c) || c == '_';
        }

        private String string() {
            char quote = s.charAt(pos);
            int start = pos;
            pos++;
            StringBuilder sb = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == quote) {
                    return sb.toString();
                }
                if (c == '\\' && pos < s.length()) {
                    char next = s.charAt(pos++);
                    // keep other escapes for the regular expression (\d, \.)
                    if (next != quote && next != '\\') {
                        sb.append('\\');
                    }
                    sb.append(next);
                } else {
                    sb.append(c);
                }
            }
            pos = start;
            throw error("string not closed");
        }

        private JsonNode number() {
            int start = pos;
            if (peek('-')) {
                pos++;
            }
            while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
                pos++;
            }
            try {
                return com.fasterxml.jackson.databind.node.DecimalNode.valueOf(new BigDecimal(s.substring(start, pos)));
            } catch (NumberFormatException e) {
                pos = start;
                throw error("not a number: `" + s.substring(start, Math.max(start + 1, pos)) + "`");
            }
        }

        private boolean take(String token) {
            skipSpace();
            if (s.startsWith(token, pos)) {
                pos += token.length();
                return true;
            }
            return false;
        }

        private boolean peek(char c) {
            return pos < s.length() && s.charAt(pos) == c;
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private IllegalArgumentException error(String message) {
            return new IllegalArgumentException("at position " + (pos + 1) + ": " + message);
        }
    }
}
