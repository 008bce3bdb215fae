package org.fedoraproject.releng.workflow.catalog;

import java.util.List;

/**
 * A trigger's {@code topic}, matched as an AMQP topic binding is, on both buses: words separated
 * by dots, {@code *} stands for exactly one word and {@code #} for zero or more. Without either it
 * is an exact match.
 */
public record TopicPattern(String text) {

    /**
     * Every topic an engine announces runs on, whatever its prefix and environment, in Fedora's
     * shape ({@code org.fedoraproject.<env>.releng.workflow.start}, {@code ….complete},
     * {@code ….approval.request} …). Any values, not only this engine's: a staging engine or a
     * second cluster announces the same way, and two engines triggering each other loop as well as
     * one. An engine with a prefix of another length adds its own with {@link #announcementsUnder}.
     */
    public static final TopicPattern ENGINE_ANNOUNCEMENTS = new TopicPattern("*.*.*.releng.workflow.#");

    /** The announcements of an engine publishing under {@code <topicPrefix>.<environment>}. */
    public static TopicPattern announcementsUnder(String topicBase) {
        return new TopicPattern(topicBase + ".releng.workflow.#");
    }

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

    /** Whether some topic matches both patterns (wildcards on either side). */
    public boolean overlaps(TopicPattern other) {
        List<String> a = words();
        List<String> b = other.words();
        return overlap(a, 0, b, 0, new Boolean[a.size() + 1][b.size() + 1]);
    }

    private static boolean overlap(List<String> a, int i, List<String> b, int j, Boolean[][] memo) {
        if (memo[i][j] != null) {
            return memo[i][j];
        }
        boolean result;
        if (i == a.size() && j == b.size()) {
            result = true;
        } else if (i < a.size() && a.get(i).equals("#")) {
            // the # takes no more words, or it takes the word (or the wildcard) at b[j]
            result = overlap(a, i + 1, b, j, memo) || (j < b.size() && overlap(a, i, b, j + 1, memo));
        } else if (j < b.size() && b.get(j).equals("#")) {
            result = overlap(a, i, b, j + 1, memo) || (i < a.size() && overlap(a, i + 1, b, j, memo));
        } else if (i == a.size() || j == b.size()) {
            result = false;
        } else {
            String x = a.get(i);
            String y = b.get(j);
            result = (x.equals("*") || y.equals("*") || x.equals(y)) && overlap(a, i + 1, b, j + 1, memo);
        }
        memo[i][j] = result;
        return result;
    }
}
