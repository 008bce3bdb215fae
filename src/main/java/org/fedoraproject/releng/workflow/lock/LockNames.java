package org.fedoraproject.releng.workflow.lock;

import java.util.regex.Pattern;

/**
 * The names of cluster-wide locks ({@code locks: [compose]} on a workflow or a chain step): short
 * lower-case words, so that one lock is spelled one way in every file that shares it.
 */
public final class LockNames {

    /** The size of {@code run_lock.name}. */
    public static final int MAX_LENGTH = 100;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private LockNames() {}

    public static boolean isValid(String name) {
        return name != null && name.length() <= MAX_LENGTH && NAME.matcher(name).matches();
    }

    /** Why {@code shown} (a name as the error may show it) is not a lock name. */
    public static String problem(String shown) {
        return "`" + shown + "` is not a lock name (lower-case letters, digits and '-', starting with a letter"
                + " or digit, at most " + MAX_LENGTH + " characters)";
    }
}
