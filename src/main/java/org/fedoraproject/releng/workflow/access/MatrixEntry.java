package org.fedoraproject.releng.workflow.access;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One line of a permission matrix: who ({@link #principal()}) may do what ({@link #allow()}).
 *
 * <p>The principal is {@code anonymous}, {@code authenticated}, {@code user:<name>} or {@code
 * group:<name>}. In YAML an entry is written {@code {principal: "group:qa", allow: [run]}}, or
 * with the shorthands workflow definitions use, {@code {group: qa, allow: [run]}} and {@code {user:
 * alice, allow: [cancel]}}.
 */
public record MatrixEntry(String principal, Set<Permission> allow) {

    private static final String ANONYMOUS = "anonymous";
    private static final String AUTHENTICATED = "authenticated";
    private static final String USER = "user:";
    private static final String GROUP = "group:";

    public MatrixEntry {
        principal = normalize(principal);
        allow = allow.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(allow));
    }

    public static MatrixEntry of(String principal, Permission... allow) {
        return new MatrixEntry(principal, Set.of(allow));
    }

    /** Builds an entry from its YAML form; exactly one of principal, group and user is given. */
    @JsonCreator
    public static MatrixEntry fromYaml(
            @JsonProperty("principal") String principal,
            @JsonProperty("group") String group,
            @JsonProperty("user") String user,
            @JsonProperty("allow") Collection<String> allow) {
        int given = (principal != null ? 1 : 0) + (group != null ? 1 : 0) + (user != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException(
                    "a permission entry needs exactly one of `principal`, `group` or `user`");
        }
        String spec = principal != null ? principal : group != null ? GROUP + group : USER + user;
        if (allow == null) {
            throw new IllegalArgumentException("permission entry `" + spec + "`: `allow` is missing");
        }
        EnumSet<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (String text : allow) {
            permissions.add(Permission.parse(text));
        }
        return new MatrixEntry(spec, permissions);
    }

    /** Whether this entry speaks about the given principal. */
    public boolean appliesTo(Principal who) {
        if (principal.equals(ANONYMOUS)) {
            return true;
        }
        if (who.isAnonymous()) {
            return false;
        }
        if (principal.equals(AUTHENTICATED)) {
            return true;
        }
        if (principal.startsWith(USER)) {
            return principal.substring(USER.length()).equals(who.name());
        }
        return who.inGroup(principal.substring(GROUP.length()));
    }

    /** {@code anonymous} and {@code authenticated} reach crowds rather than named people. */
    public boolean isBroad() {
        return principal.equals(ANONYMOUS) || principal.equals(AUTHENTICATED);
    }

    public boolean allows(Permission permission) {
        return allow.contains(permission);
    }

    /** Group names compare case-insensitively, so they are kept lower-cased; user names as given. */
    private static String normalize(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("permission entry: the principal is empty");
        }
        String trimmed = spec.trim();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (lower.equals(ANONYMOUS) || lower.equals(AUTHENTICATED)) {
            return lower;
        }
        if (lower.startsWith(GROUP) && trimmed.length() > GROUP.length()) {
            return GROUP + lower.substring(GROUP.length());
        }
        if (lower.startsWith(USER) && trimmed.length() > USER.length()) {
            return USER + trimmed.substring(USER.length());
        }
        throw new IllegalArgumentException("unknown principal `"
                + spec
                + "`: must be one of "
                + String.join(", ", List.of(ANONYMOUS, AUTHENTICATED, "user:<name>", "group:<name>")));
    }
}
