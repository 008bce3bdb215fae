package org.fedoraproject.releng.workflow.messaging;

/**
 * Sends one message to one bus. Implementations are the edges: {@code fedmsg/} (ZeroMQ) and
 * {@code amqp/} (fedora-messaging). A publisher that throws has not delivered the message; the
 * outbox keeps it and tries again.
 */
public interface BusPublisher extends AutoCloseable {

    /** A short name for logs and metrics, such as {@code fedmsg} or {@code amqp}. */
    String name();

    void publish(BusMessage message) throws Exception;

    @Override
    void close();
}
