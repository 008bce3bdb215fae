package org.fedoraproject.releng.workflow.catalog;

import java.nio.file.Path;
import java.util.List;

/** A definition file that could not be loaded, with every problem found in it. */
public record BrokenWorkflow(String id, Path file, List<String> errors) {

    public BrokenWorkflow {
        errors = List.copyOf(errors);
    }
}
