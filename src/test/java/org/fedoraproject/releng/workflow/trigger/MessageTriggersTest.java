package org.fedoraproject.releng.workflow.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fedoraproject.releng.workflow.catalog.MessageFilter;
import org.junit.jupiter.api.Test;

class MessageTriggersTest {

    static org.fedoraproject.releng.workflow.messaging.IncomingMessages.Message message(String topic, String tag) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("tag", tag);
        return new org.fedoraproject.releng.workflow.messaging.IncomingMessages.Message(
                "amqp", topic, null, body, body);
    }

    @Test
    void messageWithoutIdIsKnownAgainByItsTopicAndBody() {
        String id = MessageTriggers.contentId(message("org.fedoraproject.prod.buildsys.tag", "f42"));

        assertThat(id).startsWith("sha256-").hasSize(47);
        assertThat(MessageTriggers.contentId(message("org.fedoraproject.prod.buildsys.tag", "f42")))
                .isEqualTo(id);
        assertThat(MessageTriggers.contentId(message("org.fedoraproject.prod.buildsys.tag", "f41")))
                .isNotEqualTo(id);
        assertThat(MessageTriggers.contentId(message("org.fedoraproject.prod.buildsys.untag", "f42")))
                .isNotEqualTo(id);
    }

    @Test
    void amqpHeadersBecomeJsonForFilters() {
        var headers = org.fedoraproject.releng.workflow.messaging.amqp.AmqpTriggerConsumer.headers(java.util.Map.of(
                "fedora_messaging_severity",
                20,
                "sent-at",
                com.rabbitmq.client.impl.LongStringHelper.asLongString("2026-11-25T01:00:00+00:00"),
                "fedora_messaging_user_alice",
                true,
                "nested",
                java.util.Map.of("list", java.util.List.of(1, "two"))));

        assertThat(headers.get("fedora_messaging_severity").intValue()).isEqualTo(20);
        assertThat(headers.get("sent-at").textValue()).isEqualTo("2026-11-25T01:00:00+00:00");
        assertThat(headers.get("fedora_messaging_user_alice").booleanValue()).isTrue();
        assertThat(headers.get("nested").toString()).isEqualTo("{\"list\":[1,\"two\"]}");
        assertThat(MessageFilter.parse("$.headers['sent-at'] =~ '^2026-' && $.headers.fedora_messaging_severity == 20")
                        .matches(JsonNodeFactory.instance.objectNode().set("headers", headers)))
                .isTrue();
    }
}
