package org.fedoraproject.releng.workflow.messaging.fedmsg;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.UUID;
import org.fedoraproject.releng.workflow.messaging.BusMessage;

/**
 * Builds fedmsg's envelope for a bus message: {@code topic}, {@code msg}, {@code timestamp},
 * {@code msg_id}, {@code i} and {@code username}, as {@code fedmsg.core.publish} does.
 *
 * <p>Unlike fedmsg, the time and id come from the outbox entry, not from the moment of sending,
 * so a message sent again after a failure carries the same {@code msg_id} and consumers can drop
 * the duplicate.
 */
public final class FedmsgEnvelope {

    private FedmsgEnvelope() {}

    /** The full topic: {@code <topicPrefix>.<environment>.<message topic>}. */
    public static String fullTopic(String topicBase, BusMessage message) {
        return topicBase + "." + message.topic();
    }

    public static ObjectNode build(String topicBase, BusMessage message, long i, String username) {
        ObjectNode envelope = JsonNodeFactory.instance.objectNode();
        envelope.put("topic", fullTopic(topicBase, message));
        envelope.set("msg", message.body().deepCopy());
        envelope.put("timestamp", message.createdAt().getEpochSecond());
        envelope.put("msg_id", msgId(message));
        envelope.put("i", i);
        envelope.put("username", username);
        return envelope;
    }

    /**
     * {@code <year>-<uuid>}: the outbox id when it is a UUID, otherwise a UUID derived from it
     * (name-based, so still the same on every attempt).
     */
    static String msgId(BusMessage message) {
        int year = message.createdAt().atZone(ZoneOffset.UTC).getYear();
        return year + "-" + asUuid(message.id());
    }

    private static UUID asUuid(String id) {
        try {
            UUID uuid = UUID.fromString(id);
            if (uuid.toString().equalsIgnoreCase(id)) {
                return uuid;
            }
        } catch (IllegalArgumentException notAUuid) {
            // fall through to a name-based UUID
        }
        return UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8));
    }
}
