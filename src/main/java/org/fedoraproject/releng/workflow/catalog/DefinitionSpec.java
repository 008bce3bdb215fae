package org.fedoraproject.releng.workflow.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A definition file exactly as written, before validation. Unknown keys are an error, so a typo
 * such as {@code timout:} is reported instead of silently ignored.
 */
record DefinitionSpec(
        String id,
        String title,
        String description,
        String playbook,
        String inventory,
        List<ParameterSpec> parameters,
        List<PermissionSpec> permissions,
        String visibility,
        ConcurrencySpec concurrency,
        String timeout,
        ScheduleSpec schedule,
        List<TriggerSpec> triggers,
        OptionsSpec options,
        List<String> vault,
        ApprovalSpec approval,
        List<String> locks,
        List<StepSpec> steps,
        List<String> outputs) {

    record ParameterSpec(
            String name,
            String type,
            String description,
            @JsonProperty("default") JsonNode defaultValue,
            Boolean required,
            List<String> choices,
            String pattern,
            Long min,
            Long max) {}

    record PermissionSpec(String group, String user, String principal, List<String> allow) {}

    record ConcurrencySpec(Integer limit, String policy) {}

    record ScheduleSpec(String cron, String timezone, String missed) {}

    /** {@code tags}: {@code true} (any tag) or a list of the tags a run may choose. */
    record OptionsSpec(Boolean check, Boolean diff, Boolean limit, JsonNode tags, Integer verbosity) {}

    record ApprovalSpec(Integer count, String timeout, List<String> unless) {}

    /** One step of a chain; {@code locks} and {@code approval} are kept for the engine's locks and approvals. */
    record StepSpec(
            String id,
            String workflow,
            List<String> after,
            String when,
            java.util.Map<String, JsonNode> parameters,
            List<String> locks,
            JsonNode approval) {}

    record TriggerSpec(String bus, String topic, String filter, String throttle, Boolean allowSelf) {}
}
