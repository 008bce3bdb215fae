package org.fedoraproject.releng.workflow.trigger;

import java.util.List;

/**
 * A trigger's {@code topic}, matched as an AMQP topic binding is, on both buses: words separated
 * by dots, {@code *} stands for exactly one word and {@code #} for zero or more. Without either it
 * is an exact match.
 */
public record TopicPattern(String text) {

    public boolean isExact() {
        return !words().contains("*") && !words().contains("#");
    }

    /**
     * The longest fixed start of the pattern, for a fedmsg SUB socket's prefix subscription
     * ({@code org.fedoraproject.prod.buildsys.} for {@code org.fedoraproject.prod.buildsys.*}).
     */
    public String fixedPrefix() {
        if (isExact()) {
            return text;
        }
        StringBuilder sb = new StringBuilder();
        for (String word : words()) {
            if (word.equals("*") || word.equals("#")) {
                break;
            }
            sb.append(word).append('.');
        }
        return sb.toString();
    }

    public boolean matches(String topic) {
        if (topic == null) {
            return false;
        }
        return match(words(), 0, List.of(topic.split("\\.", -1)), 0);
    }

    private List<String> words() {
        return List.of(text.split("\\.", -1));
    }

    private static boolean match(List<String> pattern, int p, List<String> topic, int t) {
        if (p == pattern.size()) {
            return t == topic.size();
        }
        String word = pattern.get(p);
        if (word.equals("#")) {
            for (int skip = t; skip <= topic.size(); skip++) {
                if (match(pattern, p + 1, topic, skip)) {
                    return true;
                }
            }
            return false;
        }
        if (t == topic.size()) {
            return false;
        }
        return (word.equals("*") || word.equals(topic.get(t))) && match(pattern, p + 1, topic, t + 1);
    }
}
