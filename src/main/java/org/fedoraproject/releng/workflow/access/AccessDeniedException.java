package org.fedoraproject.releng.workflow.access;

import java.util.Set;
import org.fedoraproject.releng.workflow.EngineException;

/**
 * A principal lacks a permission. The message names what was missing and what the principal does
 * hold, e.g. "permission `run` on workflow `compose-nightly` is required; you have read".
 * An anonymous principal should be sent to log in (401) rather than refused (403): see {@link
 * #anonymous()}.
 */
public class AccessDeniedException extends EngineException {

    private static final long serialVersionUID = 1L;

    private final Principal principal;
    private final Permission required;
    private final String workflow;
    private final Set<Permission> held;

    public AccessDeniedException(Principal principal, Permission required, String workflow, Set<Permission> held) {
        super(message(required, workflow, held));
        this.principal = principal;
        this.required = required;
        this.workflow = workflow;
        this.held = Set.copyOf(held);
    }

    private static String message(Permission required, String workflow, Set<Permission> held) {
        String where = workflow == null ? "" : " on workflow `" + workflow + "`";
        String have = held.isEmpty()
                ? "you have none"
                : "you have "
                        + String.join(
                                ", ", held.stream().sorted().map(Permission::id).toList());
        return "permission `" + required.id() + "`" + where + " is required; " + have;
    }

    public Principal principal() {
        return principal;
    }

    public Permission required() {
        return required;
    }

    /** The workflow id, or {@code null} when a global permission was required. */
    public String workflow() {
        return workflow;
    }

    public Set<Permission> held() {
        return held;
    }

    public boolean anonymous() {
        return principal.isAnonymous();
    }
}
