package org.fedoraproject.releng.workflow.catalog;

import java.util.List;

/**
 * Which launch options a workflow's runs may ask for (the definition's {@code options}); what is
 * absent is not allowed. {@code anyTag}: {@code tags: true}, any tag name; otherwise {@code tags}
 * lists the tags a run may choose for {@code --tags} and {@code --skip-tags}. {@code verbosity} is
 * the most {@code -v} a run may ask for (0: none).
 */
public record AllowedOptions(
        boolean check, boolean diff, boolean limit, boolean anyTag, List<String> tags, int verbosity) {

    public static final AllowedOptions NONE = new AllowedOptions(false, false, false, false, List.of(), 0);

    /** Ansible prints up to six levels of detail. */
    public static final int MAX_VERBOSITY = 6;

    public AllowedOptions {
        tags = List.copyOf(tags);
    }

    public boolean allowsTags() {
        return anyTag || !tags.isEmpty();
    }

    public boolean allowsAny() {
        return check || diff || limit || allowsTags() || verbosity > 0;
    }
}
