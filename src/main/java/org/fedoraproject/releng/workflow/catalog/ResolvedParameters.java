package org.fedoraproject.releng.workflow.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checked parameter values split by sensitivity: {@code visible} may be stored, shown and sent;
 * {@code secrets} may only reach the playbook.
 */
public record ResolvedParameters(ObjectNode visible, Map<String, String> secrets) {

    public static final String MASK = "****";

    public ResolvedParameters {
        secrets = Map.copyOf(new TreeMap<>(secrets));
    }

    /** The visible values with each secret's name shown as {@value #MASK}. */
    public ObjectNode masked() {
        ObjectNode result = visible.deepCopy();
        secrets.keySet().forEach(name -> result.put(name, MASK));
        return result;
    }

    /** What the playbook receives: every value, secrets included. */
    public ObjectNode all() {
        ObjectNode result = visible.deepCopy();
        secrets.forEach(result::put);
        return result;
    }
}
