package org.fedoraproject.releng.workflow.metrics;

import java.util.LinkedHashSet;
import java.util.Set;
import org.fedoraproject.releng.workflow.catalog.CatalogService;
import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;

/**
 * The {@code workflow} label of a series. {@code /metrics} is anonymous: workflows that are not
 * public (restricted, or with no definition known) are counted together under {@link #HIDDEN},
 * which no workflow id can be.
 */
final class WorkflowLabels {

    static final String HIDDEN = "(restricted)";

    private final CatalogService catalog;

    WorkflowLabels(CatalogService catalog) {
        this.catalog = catalog;
    }

    String of(String workflowId) {
        boolean shown =
                catalog.lastKnownGood(workflowId).map(w -> !w.isRestricted()).orElse(false);
        return shown ? workflowId : HIDDEN;
    }

    /** Every label a series may have now: one per public workflow, and the hidden one. */
    Set<String> all() {
        Set<String> labels = new LinkedHashSet<>();
        for (WorkflowDefinition w : catalog.lastKnownGood()) {
            labels.add(of(w.id()));
        }
        labels.add(HIDDEN);
        return labels;
    }
}
