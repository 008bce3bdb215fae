package org.fedoraproject.releng.workflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import org.fedoraproject.releng.workflow.messaging.amqp.AmqpPublisher;
import org.junit.jupiter.api.Test;

class AmqpConfigTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void readsTheDocumentedKeys() throws Exception {
        JsonNode tree = YAML.readTree("""
                messaging:
                  amqp:   {enabled: true, url: "amqps://rabbitmq.fedoraproject.org/%2Fpubsub", exchange: amq.topic,
                           topicPrefix: org.fedoraproject, environment: prod,
                           tls: {caFile: /etc/fedora-messaging/cacert.pem, certFile: /etc/fedora-messaging/releng.crt,
                                 keyFile: /etc/fedora-messaging/releng.key}}
                """);

        AmqpConfig config = YAML.treeToValue(tree.at("/messaging/amqp"), AmqpConfig.class);

        assertThat(config)
                .isEqualTo(new AmqpConfig(
                        true,
                        "amqps://rabbitmq.fedoraproject.org/%2Fpubsub",
                        "amq.topic",
                        "org.fedoraproject",
                        "prod",
                        null,
                        new AmqpConfig.Tls(
                                Path.of("/etc/fedora-messaging/cacert.pem"),
                                Path.of("/etc/fedora-messaging/releng.crt"),
                                Path.of("/etc/fedora-messaging/releng.key"))));
        assertThat(config.routingKey("releng.workflow.start"))
                .isEqualTo("org.fedoraproject.prod.releng.workflow.start");
        config.validate();
    }

    @Test
    void missingKeysTakeTheDefaults() throws Exception {
        AmqpConfig config = YAML.readValue("passwordFile: /etc/releng/amqp-password\n", AmqpConfig.class);

        assertThat(config)
                .isEqualTo(new AmqpConfig(
                        false,
                        "amqp://localhost:5672/%2F",
                        "amq.topic",
                        "org.fedoraproject",
                        "dev",
                        Path.of("/etc/releng/amqp-password"),
                        null));
        assertThat(AmqpConfig.disabled().routingKey("x")).isEqualTo("org.fedoraproject.dev.x");
    }

    @Test
    void badSettingsNameTheKey() {
        assertThatThrownBy(() -> AmqpConfig.to("http://broker/").validate())
                .hasMessageStartingWith("messaging.amqp.url: must start with amqp:// or amqps://");
        assertThatThrownBy(() -> AmqpConfig.to("amqps://broker/")
                        .withTls(null, Path.of("c.crt"), null)
                        .validate())
                .hasMessage("messaging.amqp.tls: certFile and keyFile go together");
        assertThatThrownBy(() -> new AmqpPublisher(
                                AmqpConfig.to("amqps://broker/").withTls(Path.of("/nonexistent/ca.pem"), null, null))
                        .close())
                .hasMessageContaining("messaging.amqp.tls.caFile");
    }
}
