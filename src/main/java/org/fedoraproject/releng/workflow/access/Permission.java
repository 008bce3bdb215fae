package org.fedoraproject.releng.workflow.access;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a principal may do; {@link #ADMIN} implies every other permission. */
public enum Permission {
    READ,
    RUN,
    CANCEL,
    APPROVE,
    ADMIN;

    /** The lower-case name used in configuration and JSON ({@code run}). */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Permission parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown permission `" + text + "`: must be one of read, run, cancel, approve, admin");
        }
    }
}
