package org.fedoraproject.releng.workflow.chain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedoraproject.releng.workflow.catalog.InvalidParametersException;
import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;
import org.fedoraproject.releng.workflow.run.Run;

/**
 * A resumed chain's parameters: the failed run's, as for a relaunch. Secret values were never kept,
 * so they are given again; nothing else may change, and parameters the chain no longer has are dropped.
 */
final class ResumedParameters {

    private ResumedParameters() {}

    static ObjectNode of(Run old, WorkflowDefinition chain, ObjectNode secrets) {
        ObjectNode parameters = old.parameters().deepCopy();
        chain.parameters().stream().filter(p -> p.isSecret()).forEach(p -> parameters.remove(p.name()));
        Map<String, String> errors = new TreeMap<>();
        if (secrets != null) {
            secrets.fields().forEachRemaining(e -> {
                if (chain.parameter(e.getKey()).map(p -> p.isSecret()).orElse(false)) {
                    parameters.set(e.getKey(), e.getValue());
                } else {
                    errors.put(
                            e.getKey(), "a resume repeats the failed run's parameters; only secrets are given again");
                }
            });
        }
        if (!errors.isEmpty()) {
            throw new InvalidParametersException(errors);
        }
        List<String> gone = new ArrayList<>();
        parameters.fieldNames().forEachRemaining(name -> {
            if (chain.parameter(name).isEmpty()) {
                gone.add(name);
            }
        });
        parameters.remove(gone);
        return parameters;
    }
}
