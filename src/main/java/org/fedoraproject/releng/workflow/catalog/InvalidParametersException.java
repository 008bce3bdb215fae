package org.fedoraproject.releng.workflow.catalog;

import java.util.Map;
import java.util.TreeMap;
import org.fedoraproject.releng.workflow.EngineException;

/** Parameters given for a run did not fit the definition; one message per parameter name. */
public class InvalidParametersException extends EngineException {

    private static final long serialVersionUID = 1L;

    private final Map<String, String> fields;

    public InvalidParametersException(Map<String, String> fields) {
        super("invalid parameters: " + fields);
        this.fields = new TreeMap<>(fields);
    }

    public Map<String, String> fields() {
        return fields;
    }
}
