package org.fedoraproject.releng.workflow.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * One message for the bus, as the outbox keeps it: a stable id (so that consumers can drop a
 * redelivered duplicate), the topic below the configured prefix and environment (for example
 * {@code releng.workflow.start}), the JSON body, when it was created and the users it concerns.
 */
public record BusMessage(String id, String topic, ObjectNode body, Instant createdAt, List<String> users) {

    public BusMessage {
        users = List.copyOf(users);
    }
}
