package org.fedoraproject.releng.workflow.log;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces secret values in a stream of text with {@code ****} before anything is stored. Text is
 * released a line at a time, so that a secret is never split between two releases; a line longer
 * than {@link #MAX_HELD} is released in parts cut where no secret can straddle the cut.
 * <p>
 * Each secret is also masked in the forms Ansible prints it: JSON-escaped, and line by line when
 * the secret itself spans lines.
 */
public final class SecretMasker {

    public static final String MASK = "****";
    static final int MAX_HELD = 64 * 1024;

    private final List<String> patterns;
    private final int longest;
    private final StringBuilder held = new StringBuilder();

    public SecretMasker(List<String> secrets) {
        Set<String> forms = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret == null || secret.isEmpty()) {
                continue;
            }
            addSingleLine(forms, secret);
            addSingleLine(forms, jsonEscaped(secret));
            for (String line : secret.split("\\R")) {
                if (line.strip().length() >= 4) {
                    forms.add(line.strip());
                }
            }
        }
        List<String> sorted = new ArrayList<>(forms);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        this.patterns = List.copyOf(sorted);
        this.longest = sorted.isEmpty() ? 0 : sorted.get(0).length();
    }

    private static void addSingleLine(Set<String> forms, String s) {
        if (s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            forms.add(s);
        }
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** Takes more text; returns the masked text that can be released now (possibly empty). */
    public String feed(CharSequence text) {
        held.append(text);
        int cut = held.lastIndexOf("\n") + 1;
        if (held.length() - cut > MAX_HELD) {
            cut = safeCut(held.length() - Math.max(0, longest - 1));
        }
        if (cut == 0) {
            return "";
        }
        String out = mask(held.substring(0, cut));
        held.delete(0, cut);
        return out;
    }

    /** The end of the stream: releases whatever is held. */
    public String finish() {
        String out = mask(held.toString());
        held.setLength(0);
        return out;
    }

    /** Moves {@code cut} past any secret that starts before it and ends after it. */
    private int safeCut(int cut) {
        int result = cut;
        for (String p : patterns) {
            int from = Math.max(0, cut - p.length() + 1);
            int at = held.indexOf(p, from);
            while (at >= 0 && at < cut) {
                if (at + p.length() > result) {
                    result = at + p.length();
                }
                at = held.indexOf(p, at + 1);
            }
        }
        return Math.min(result, held.length());
    }

    public String mask(String text) {
        String result = text;
        for (String p : patterns) {
            if (result.contains(p)) {
                result = result.replace(p, MASK);
            }
        }
        return result;
    }

    static String jsonEscaped(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
