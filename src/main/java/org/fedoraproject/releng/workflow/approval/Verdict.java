package org.fedoraproject.releng.workflow.approval;

import java.util.Locale;

/** One decision about a waiting run: a person approves or denies it, or the engine times it out. */
public enum Verdict {
    APPROVED,
    DENIED,
    TIMED_OUT;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Verdict parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
