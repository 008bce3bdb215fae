package org.fedoraproject.releng.workflow.catalog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

public enum ParameterType {
    STRING,
    TEXT,
    INTEGER,
    BOOLEAN,
    CHOICE,
    MULTICHOICE,
    SECRET;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ParameterType parse(String text) {
        for (ParameterType t : values()) {
            if (t.id().equals(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown parameter type `" + text + "`: must be one of "
                + Arrays.stream(values()).map(ParameterType::id).collect(Collectors.joining(", ")));
    }
}
