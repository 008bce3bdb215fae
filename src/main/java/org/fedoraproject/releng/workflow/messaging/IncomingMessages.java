package org.fedoraproject.releng.workflow.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Where the bus edges that listen ({@code fedmsg.FedmsgSubscriber}, {@code amqp.AmqpTriggerConsumer})
 * hand what they hear: the message triggers, seen from the bus, so that bus code needs no trigger
 * code.
 */
public interface IncomingMessages {

    /**
     * One message as a bus delivered it. {@code root} is what filters see ({@code topic},
     * {@code msg_id}, {@code msg}, and on AMQP {@code headers}); {@code body} is what the playbook
     * gets as {@code releng_message}. {@code id} may be null when the sender gave none.
     */
    record Message(String bus, String topic, String id, JsonNode root, JsonNode body) {}

    /** The topic patterns the workflows listen to on {@code bus}: what to subscribe to. */
    Set<String> topics(String bus);

    /** {@code listener} runs whenever {@link #topics} may have changed. */
    void onChange(Runnable listener);

    /**
     * Acts on one message; returns once its runs are stored. Throws when it could not (the database
     * is unreachable, say), so that a bus that can redeliver does.
     */
    void receive(Message message);
}
