package org.fedoraproject.releng.workflow.access;

import java.util.Locale;

/** What a principal may do; {@link #ADMIN} implies every other permission. */
public enum Permission {
    READ,
    RUN,
    CANCEL,
    APPROVE,
    ADMIN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Permission parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown permission `" + text + "`: must be one of read, run, cancel, approve, admin");
        }
    }
}
