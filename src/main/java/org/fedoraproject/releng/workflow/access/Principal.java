package org.fedoraproject.releng.workflow.access;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is asking: anonymous, a logged-in user, a user's API token or a configured service account.
 * Group names are kept lower-cased because FAS group names compare case-insensitively.
 */
public record Principal(Kind kind, String name, Set<String> groups) {

    public enum Kind {
        ANONYMOUS,
        USER,
        API_TOKEN,
        SERVICE_ACCOUNT
    }

    public static final Principal ANONYMOUS = new Principal(Kind.ANONYMOUS, null, Set.of());

    public Principal {
        TreeSet<String> normalized = new TreeSet<>();
        for (String group : groups) {
            normalized.add(group.toLowerCase(Locale.ROOT));
        }
        groups = Set.copyOf(normalized);
    }

    public boolean isAnonymous() {
        return kind == Kind.ANONYMOUS;
    }

    public boolean inGroup(String group) {
        return groups.contains(group.toLowerCase(Locale.ROOT));
    }
}
