package org.fedoraproject.releng.workflow.catalog;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** One immutable snapshot of the catalog directory: the workflows that loaded and those that did not. */
public final class Catalog {

    private final Map<String, WorkflowDefinition> workflows;
    private final List<BrokenWorkflow> broken;
    private final Instant loadedAt;

    public Catalog(Collection<WorkflowDefinition> workflows, List<BrokenWorkflow> broken, Instant loadedAt) {
        TreeMap<String, WorkflowDefinition> byId = new TreeMap<>();
        workflows.forEach(w -> byId.put(w.id(), w));
        this.workflows = Collections.unmodifiableMap(byId);
        this.broken = List.copyOf(broken);
        this.loadedAt = loadedAt;
    }

    public static Catalog empty() {
        return new Catalog(List.of(), List.of(), Instant.EPOCH);
    }

    public Optional<WorkflowDefinition> find(String id) {
        return Optional.ofNullable(workflows.get(id));
    }

    public Optional<BrokenWorkflow> findBroken(String id) {
        return broken.stream().filter(b -> b.id().equals(id)).findFirst();
    }

    /** Sorted by id. */
    public Collection<WorkflowDefinition> workflows() {
        return workflows.values();
    }

    public List<BrokenWorkflow> broken() {
        return broken;
    }

    public Instant loadedAt() {
        return loadedAt;
    }
}
