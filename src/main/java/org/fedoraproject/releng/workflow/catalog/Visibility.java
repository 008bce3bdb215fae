package org.fedoraproject.releng.workflow.catalog;

/** Public workflows show their runs and logs to anyone; restricted ones only to those with read. */
public enum Visibility {
    PUBLIC,
    RESTRICTED
}
