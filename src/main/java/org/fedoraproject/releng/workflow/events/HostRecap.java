package org.fedoraproject.releng.workflow.events;

/** One line of the play recap. */
public record HostRecap(
        String host, int ok, int changed, int failed, int unreachable, int skipped, int rescued, int ignored) {

    public boolean broken() {
        return failed > 0 || unreachable > 0;
    }
}
