package org.fedoraproject.releng.workflow.catalog;

/**
 * What happens to a new run when the workflow already has {@code limit} runs active: wait in line
 * ({@code queue}), be dropped ({@code skip}), or replace the older runs ({@code cancel-older}).
 */
public enum ConcurrencyPolicy {
    QUEUE,
    SKIP,
    CANCEL_OLDER;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public static ConcurrencyPolicy parse(String text) {
        for (ConcurrencyPolicy p : values()) {
            if (p.id().equals(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "unknown concurrency policy `" + text + "`: must be queue, skip or cancel-older");
    }
}
