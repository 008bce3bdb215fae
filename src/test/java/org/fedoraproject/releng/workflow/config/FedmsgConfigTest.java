package org.fedoraproject.releng.workflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.fedoraproject.releng.workflow.messaging.fedmsg.ZmqFedmsgPublisher;
import org.junit.jupiter.api.Test;

class FedmsgConfigTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void readsTheDocumentedKeys() throws Exception {
        JsonNode tree = YAML.readTree("""
                messaging:
                  fedmsg: {enabled: true, topicPrefix: org.fedoraproject, environment: prod,
                           bind: "tcp://*:3000",
                           sign: {certFile: /etc/pki/fedmsg/releng.crt, keyFile: /etc/pki/fedmsg/releng.key}}
                """);

        FedmsgConfig config = YAML.treeToValue(tree.at("/messaging/fedmsg"), FedmsgConfig.class);

        assertThat(config)
                .isEqualTo(new FedmsgConfig(
                        true,
                        "org.fedoraproject",
                        "prod",
                        "tcp://*:3000",
                        null,
                        new FedmsgConfig.Sign(
                                Path.of("/etc/pki/fedmsg/releng.crt"), Path.of("/etc/pki/fedmsg/releng.key"))));
        assertThat(config.topicBase()).isEqualTo("org.fedoraproject.prod");
        config.validate();
    }

    @Test
    void missingKeysTakeTheDefaults() throws Exception {
        FedmsgConfig config = YAML.readValue("relay: tcp://relay.example:2003\n", FedmsgConfig.class);

        assertThat(config.enabled()).isFalse();
        assertThat(config.topicBase()).isEqualTo("org.fedoraproject.dev");
        assertThat(config.relay()).isEqualTo("tcp://relay.example:2003");
        assertThat(config.sign()).isNull();
        assertThat(FedmsgConfig.disabled().topicBase()).isEqualTo("org.fedoraproject.dev");
    }

    @Test
    void needsExactlyOneOfBindAndRelay() {
        assertThatThrownBy(
                        () -> new FedmsgConfig(true, null, null, "tcp://*:3000", "tcp://relay:2003", null).validate())
                .hasMessageContaining("set exactly one of bind");
        assertThatThrownBy(() -> new FedmsgConfig(true, null, null, null, " ", null).validate())
                .hasMessageContaining("set exactly one of bind");
        assertThatThrownBy(() -> FedmsgConfig.bindTo("tcp://*:3000")
                        .withSign(Path.of("a.crt"), null)
                        .validate())
                .hasMessageContaining("both certFile and keyFile");
    }

    @Test
    void bindingAPortInUseFailsAtStartNamingTheKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String endpoint = "tcp://127.0.0.1:" + taken.getLocalPort();

            assertThatThrownBy(() -> new ZmqFedmsgPublisher(FedmsgConfig.bindTo(endpoint)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("messaging.fedmsg.bind " + endpoint);
        }
    }
}
