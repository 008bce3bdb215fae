package org.fedoraproject.releng.workflow.catalog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.fedoraproject.releng.workflow.access.Guarded;
import org.fedoraproject.releng.workflow.access.MatrixEntry;
import org.fedoraproject.releng.workflow.access.Visibility;
import org.fedoraproject.releng.workflow.access.WorkflowAccess;

/**
 * A valid workflow from the catalog. Paths are already resolved and proven to lie inside the
 * catalog directory. {@code timeout} is empty when the engine's default applies. {@code options}:
 * the launch options a run may ask for; {@code vault}: the vault ids (configured in {@code
 * ansible.vaultPasswordFiles}) whose passwords its runs get; {@code approval}: who must agree
 * before a run may start, if anyone; {@code locks}: the cluster-wide locks a run must hold while
 * it runs (see {@link org.fedoraproject.releng.workflow.lock.LockNames}). {@code chain}: present
 * when the definition has {@code steps} instead of a {@code playbook} (then {@code playbook} is
 * null); {@code outputs}: the {@code set_stats} outputs its playbook declares it publishes (empty:
 * not declared).
 */
public record WorkflowDefinition(
        String id,
        String title,
        String description,
        Path playbook,
        Optional<Path> inventory,
        List<ParameterDefinition> parameters,
        List<MatrixEntry> permissions,
        Visibility visibility,
        int concurrencyLimit,
        ConcurrencyPolicy concurrencyPolicy,
        Optional<Duration> timeout,
        Optional<Schedule> schedule,
        List<Trigger> triggers,
        AllowedOptions options,
        List<String> vault,
        Optional<ApprovalRule> approval,
        List<String> locks,
        Optional<ChainDefinition> chain,
        List<String> outputs,
        Path file)
        implements Guarded {

    /** {@code missed}: {@code run-once} or {@code skip} for a due time missed while the engine was down. */
    public record Schedule(String cron, String timezone, String missed) {}

    /**
     * Start a run when a message on {@code bus} ({@code fedmsg} or {@code amqp}) matches.
     * {@code allowSelf}: the topic may match the engine's own {@code releng.workflow.*}
     * announcements (the loader insists on a filter then).
     */
    public record Trigger(String bus, String topic, String filter, Duration throttle, boolean allowSelf) {
        public Trigger(String bus, String topic, String filter, Duration throttle) {
            this(bus, topic, filter, throttle, false);
        }
    }

    public Optional<ParameterDefinition> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public boolean isChain() {
        return chain.isPresent();
    }

    public boolean isRestricted() {
        return visibility == Visibility.RESTRICTED;
    }

    /** What the permission matrix needs to know of this workflow. */
    @Override
    public WorkflowAccess access() {
        return new WorkflowAccess(id, visibility, permissions);
    }
}
