package org.fedoraproject.releng.workflow.access;

import java.util.List;
import java.util.Objects;

/** The access-relevant part of a workflow definition: its id, visibility and own entries. */
public record WorkflowAccess(String id, Visibility visibility, List<MatrixEntry> permissions) {

    public WorkflowAccess {
        Objects.requireNonNull(id, "id");
        visibility = visibility == null ? Visibility.PUBLIC : visibility;
        permissions = permissions == null ? List.of() : List.copyOf(permissions);
    }

    public static WorkflowAccess publicWorkflow(String id, List<MatrixEntry> permissions) {
        return new WorkflowAccess(id, Visibility.PUBLIC, permissions);
    }

    public static WorkflowAccess restrictedWorkflow(String id, List<MatrixEntry> permissions) {
        return new WorkflowAccess(id, Visibility.RESTRICTED, permissions);
    }

    boolean isRestricted() {
        return visibility == Visibility.RESTRICTED;
    }
}
