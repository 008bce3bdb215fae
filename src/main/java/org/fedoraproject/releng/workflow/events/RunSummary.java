package org.fedoraproject.releng.workflow.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a run's events add up to: the recap ({@code hosts}, empty until the playbook's stats), the
 * {@code set_stats} {@code outputs}, whether it ran in check mode, how many events were stored and,
 * when some are missing, why.
 */
public record RunSummary(
        State state, String problem, int events, boolean dryRun, List<HostRecap> hosts, ObjectNode outputs) {

    public enum State {
        /** Events still come (or came, until the engine stopped). */
        OPEN,
        COMPLETE,
        INCOMPLETE
    }

    public RunSummary {
        hosts = List.copyOf(hosts);
    }

    /**
     * Why events are missing, if they are; a run that ended while its summary was still open
     * lost its engine on the way.
     */
    public String problem(boolean runFinished) {
        if (state == State.OPEN) {
            return runFinished ? "the engine stopped while the run was running; events up to then are kept" : null;
        }
        return state == State.INCOMPLETE ? problem : null;
    }

    /**
     * The recap in a sentence, e.g. {@code failed on 2 of 5 hosts: a, b}; null before the recap.
     * It says what the exit code alone does not: hosts that failed or were unreachable though the
     * playbook exited 0 (ignored), or an exit code the recap does not explain.
     */
    public String verdict(Integer exitCode) {
        if (hosts.isEmpty()) {
            return null;
        }
        List<String> parts = new java.util.ArrayList<>();
        List<HostRecap> failed = hosts.stream().filter(h -> h.failed() > 0).toList();
        List<HostRecap> unreachable =
                hosts.stream().filter(h -> h.unreachable() > 0).toList();
        if (!failed.isEmpty()) {
            parts.add("failed on " + failed.size() + " of " + hosts.size() + " host" + plural(hosts.size()) + ": "
                    + names(failed));
        }
        if (!unreachable.isEmpty()) {
            parts.add("unreachable: " + unreachable.size() + " of " + hosts.size() + " host" + plural(hosts.size())
                    + ": " + names(unreachable));
        }
        int changed = hosts.stream().mapToInt(HostRecap::changed).sum();
        if (parts.isEmpty()) {
            parts.add("ok on " + hosts.size() + " host" + plural(hosts.size()));
            if (exitCode != null && exitCode != 0) {
                parts.add(
                        "but the playbook exited " + exitCode + " with no host failed in the recap (see the console)");
            }
        } else if (exitCode != null && exitCode == 0) {
            parts.add("ignored by the playbook, which exited 0");
        }
        parts.add(changed + " change" + plural(changed));
        return String.join("; ", parts);
    }

    private static String names(List<HostRecap> hosts) {
        String shown = hosts.stream().limit(5).map(HostRecap::host).collect(Collectors.joining(", "));
        return hosts.size() > 5 ? shown + " and " + (hosts.size() - 5) + " more" : shown;
    }

    private static String plural(int n) {
        return n == 1 ? "" : "s";
    }
}
