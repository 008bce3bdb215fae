package org.fedoraproject.releng.workflow.access;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Who may see a workflow's runs and logs without being named in its permissions. */
public enum Visibility {
    /** The global matrix applies in full; by default anonymous users may read. */
    PUBLIC,
    /** Only user and group entries reach it; see {@link PermissionMatrix}. */
    RESTRICTED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Visibility parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown visibility `" + text + "`: must be one of public, restricted");
        }
    }
}
