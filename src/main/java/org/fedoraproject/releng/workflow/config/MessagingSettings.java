package org.fedoraproject.releng.workflow.config;

/** The {@code messaging} section of the configuration: where runs are announced. */
public record MessagingSettings(FedmsgConfig fedmsg, AmqpConfig amqp) {
    public MessagingSettings {
        fedmsg = fedmsg == null ? FedmsgConfig.disabled() : fedmsg;
        amqp = amqp == null ? AmqpConfig.disabled() : amqp;
    }

    public static MessagingSettings off() {
        return new MessagingSettings(null, null);
    }
}
