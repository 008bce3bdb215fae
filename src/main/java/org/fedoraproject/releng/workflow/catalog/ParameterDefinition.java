package org.fedoraproject.releng.workflow.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One typed parameter of a workflow. {@code required} defaults to true unless a default is given;
 * {@code pattern} (string, text) must match the whole value, and must be anchored ({@code ^…$}).
 */
public record ParameterDefinition(
        String name,
        ParameterType type,
        String description,
        JsonNode defaultValue,
        boolean required,
        List<String> choices,
        String pattern,
        Long min,
        Long max) {

    public boolean isSecret() {
        return type == ParameterType.SECRET;
    }
}
