package org.fedoraproject.releng.workflow.access;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what a principal may do, from the global matrix in the configuration plus a workflow's
 * own entries. Pure: no I/O, no state besides the global entries.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>{@code admin} implies every other permission.
 *   <li>Global entries apply to every workflow, added to the workflow's own entries.
 *   <li>{@code anonymous} entries apply to everyone (what anonymous users may do, everyone may do);
 *       {@code authenticated} entries to every principal that is not anonymous; {@code group:}
 *       names compare case-insensitively, {@code user:} names exactly. A {@code user:} entry
 *       matches any logged-in principal of that name: a user, the user's API token, or a
 *       service account.
 *   <li><b>Restricted workflows</b>: the global matrix's broad entries ({@code anonymous} and
 *       {@code authenticated}) do not reach a {@link Visibility#RESTRICTED} workflow, for any
 *       permission. Only the workflow's own entries (of any kind) and global {@code user:}/{@code
 *       group:} entries apply there. So the default "anonymous may read" makes public workflows
 *       readable by all, while a restricted workflow is visible only to those its definition (or a
 *       named global entry such as {@code group:releng: admin}) lets in. A restricted workflow
 *       that wants every logged-in user to read it says so itself with {@code {principal:
 *       authenticated, allow: [read]}}.
 * </ul>
 *
 * <p>When several entries grant a permission, the explanation prefers a direct grant over one
 * implied by admin, and the workflow's entries over global ones, each list in its written order.
 */
public final class PermissionMatrix {

    private final List<MatrixEntry> global;

    public PermissionMatrix(List<MatrixEntry> global) {
        this.global = List.copyOf(global);
    }

    /** The configuration default when no matrix is given: anonymous may read public workflows. */
    public static PermissionMatrix anonymousRead() {
        return new PermissionMatrix(List.of(MatrixEntry.of("anonymous", Permission.READ)));
    }

    public List<MatrixEntry> globalEntries() {
        return global;
    }

    /**
     * Every permission the principal holds, with the entry that granted it.
     *
     * @param workflow the workflow, or {@code null} for global permissions (the global matrix
     *     alone)
     */
    public List<Grant> grants(Principal principal, WorkflowAccess workflow) {
        List<MatrixEntry> applicable = applicableEntries(principal, workflow);
        String workflowId = workflow == null ? null : workflow.id();
        Optional<MatrixEntry> admin = firstAllowing(applicable, Permission.ADMIN);
        List<Grant> grants = new ArrayList<>();
        for (Permission permission : Permission.values()) {
            Optional<MatrixEntry> direct = firstAllowing(applicable, permission);
            if (direct.isPresent()) {
                grants.add(new Grant(workflowId, permission, direct.get().principal()));
            } else if (admin.isPresent()) {
                grants.add(new Grant(
                        workflowId, permission, "admin via " + admin.get().principal()));
            }
        }
        return grants;
    }

    /** Convenience for callers holding a workflow's parts rather than a {@link WorkflowAccess}. */
    public List<Grant> grants(
            Principal principal, String workflowId, Visibility visibility, List<MatrixEntry> entries) {
        return grants(principal, workflowId == null ? null : new WorkflowAccess(workflowId, visibility, entries));
    }

    public Set<Permission> permissions(Principal principal, WorkflowAccess workflow) {
        EnumSet<Permission> held = EnumSet.noneOf(Permission.class);
        for (Grant grant : grants(principal, workflow)) {
            held.add(grant.permission());
        }
        return held;
    }

    public boolean allows(Principal principal, Permission permission, WorkflowAccess workflow) {
        return permissions(principal, workflow).contains(permission);
    }

    /** The grant that gives the permission, if any: what to show when explaining a decision. */
    public Optional<Grant> grantFor(Principal principal, Permission permission, WorkflowAccess workflow) {
        return grants(principal, workflow).stream()
                .filter(grant -> grant.permission() == permission)
                .findFirst();
    }

    /**
     * Returns normally when the permission is held.
     *
     * @throws AccessDeniedException naming the missing permission and those held
     */
    public void require(Principal principal, Permission permission, WorkflowAccess workflow) {
        Set<Permission> held = permissions(principal, workflow);
        if (!held.contains(permission)) {
            throw new AccessDeniedException(principal, permission, workflow == null ? null : workflow.id(), held);
        }
    }

    /**
     * Whether the principal may see the workflow, its runs and logs. A {@link
     * Visibility#RESTRICTED} workflow needs a read grant from its own entries or from a named
     * ({@code user:}/{@code group:}) global entry; global {@code anonymous}/{@code authenticated}
     * reads do not reach it.
     */
    public boolean canRead(Principal principal, WorkflowAccess workflow) {
        return allows(principal, Permission.READ, workflow);
    }

    public boolean canRead(Principal principal, String workflowId, Visibility visibility, List<MatrixEntry> entries) {
        return canRead(principal, new WorkflowAccess(workflowId, visibility, entries));
    }

    /**
     * The permission list of {@code /api/whoami}: global grants (workflow {@code null}), then for
     * each workflow the grants that differ from the global ones (a permission added by the
     * workflow's entries, or explained by a different entry). Global grants from {@code
     * anonymous}/{@code authenticated} entries hold on public workflows only.
     */
    public List<Grant> whoami(Principal principal, Collection<WorkflowAccess> workflows) {
        List<Grant> globalGrants = grants(principal, null);
        List<Grant> all = new ArrayList<>(globalGrants);
        for (WorkflowAccess workflow : workflows) {
            for (Grant grant : grants(principal, workflow)) {
                boolean sameAsGlobal = globalGrants.stream()
                        .anyMatch(g -> g.permission() == grant.permission()
                                && g.grantedBy().equals(grant.grantedBy()));
                if (!sameAsGlobal) {
                    all.add(grant);
                }
            }
        }
        return all;
    }

    private List<MatrixEntry> applicableEntries(Principal principal, WorkflowAccess workflow) {
        List<MatrixEntry> applicable = new ArrayList<>();
        if (workflow != null) {
            for (MatrixEntry entry : workflow.permissions()) {
                if (entry.appliesTo(principal)) {
                    applicable.add(entry);
                }
            }
        }
        boolean restricted = workflow != null && workflow.isRestricted();
        for (MatrixEntry entry : global) {
            if (restricted && entry.isBroad()) {
                continue;
            }
            if (entry.appliesTo(principal)) {
                applicable.add(entry);
            }
        }
        return applicable;
    }

    private static Optional<MatrixEntry> firstAllowing(List<MatrixEntry> entries, Permission permission) {
        return entries.stream().filter(entry -> entry.allows(permission)).findFirst();
    }
}
