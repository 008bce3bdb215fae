package org.fedoraproject.releng.workflow.catalog;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.fedoraproject.releng.workflow.log.SecretMasker;

/**
 * Secret values the log masking cannot protect, refused when a run is started. The log masks every
 * occurrence of a secret; a short or common value also occurs where it is no secret (in task
 * names, timestamps, counters, Ansible's {@code ****} banners), so masking it would wreck the log,
 * and where the masks fall would tell a reader what the value is.
 */
final class WeakSecrets {

    static final String MESSAGE = "secret values must be at least " + SecretMasker.MIN_LENGTH
            + " characters and not a common word, a number or one character repeated: the log masks"
            + " every occurrence of a secret, and such a value occurs everywhere";

    /**
     * YAML's and Python's booleans and nulls (most are also too short), and the words and
     * placeholder passwords that Ansible output and playbooks are full of.
     */
    private static final Set<String> COMMON = Set.of(
            "true",
            "false",
            "yes",
            "no",
            "on",
            "off",
            "null",
            "none",
            "nil",
            "undefined",
            "password",
            "passwd",
            "secret",
            "changeme",
            "default",
            "localhost");

    private static final Pattern NUMBER_LIKE = Pattern.compile("[-+]?\\d+([.,:]\\d+)*");

    private WeakSecrets() {}

    /** True when {@code value} must be refused; the reason is {@link #MESSAGE}. */
    static boolean isWeak(String value) {
        String v = value.strip();
        return v.codePointCount(0, v.length()) < SecretMasker.MIN_LENGTH
                || COMMON.contains(v.toLowerCase(Locale.ROOT))
                || NUMBER_LIKE.matcher(v).matches()
                || v.codePoints().distinct().count() == 1;
    }
}
