package org.fedoraproject.releng.workflow.access;

/**
 * Something the permission matrix guards: a workflow, as the catalog defines it. Here so that
 * access decisions need not know the catalog, which in turn uses access's types.
 */
public interface Guarded {

    WorkflowAccess access();
}
