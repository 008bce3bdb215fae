package org.fedoraproject.releng.workflow.run;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The bus message that started a run: on which bus, its full topic, its id ({@code msg_id} on
 * fedmsg, {@code message_id} on AMQP) and its body ({@code msg} of a fedmsg envelope, the AMQP
 * message body), which the playbook receives as {@code releng_message}.
 */
public record TriggerMessage(String bus, String topic, String id, JsonNode body) {}
