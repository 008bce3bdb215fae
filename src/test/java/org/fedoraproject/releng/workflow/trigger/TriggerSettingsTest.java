package org.fedoraproject.releng.workflow.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fedoraproject.releng.workflow.config.ConfigException;
import org.fedoraproject.releng.workflow.config.ConfigLoader;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TriggerSettingsTest {

    @TempDir
    Path dir;

    EngineConfig load(String yaml, Map<String, String> env) throws Exception {
        Path file = dir.resolve("engine.yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader().load(file, env);
    }

    @Test
    void nothingListensByDefault() throws Exception {
        TriggerSettings t = load("", Map.of()).triggers();

        assertThat(t.fedmsg().endpoints()).isEmpty();
        assertThat(t.amqp().enabled()).isFalse();
        assertThat(t.amqp().exchange()).isEqualTo("amq.topic");
        assertThat(t.amqp().queue()).isEqualTo("releng-workflow-triggers");
    }

    @Test
    void keysComeFromTheFileAndTheEnvironment() throws Exception {
        TriggerSettings t = load("""
                triggers:
                  fedmsg: {endpoints: ["tcp://hub.example:9940"]}
                  amqp: {enabled: true, url: "amqps://rabbitmq.example/%2Fpubsub", queue: releng-prod,
                         tls: {caFile: /etc/fedora-messaging/cacert.pem, certFile: /etc/c.pem, keyFile: /etc/k.pem}}
                """, Map.of("RELENG_TRIGGERS_FEDMSG_ENDPOINTS", "[\"tcp://a:9940\", \"tcp://b:9940\"]",
                "RELENG_TRIGGERS_AMQP_EXCHANGE", "releng.topic")).triggers();

        assertThat(t.fedmsg().endpoints()).containsExactly("tcp://a:9940", "tcp://b:9940");
        assertThat(t.amqp().enabled()).isTrue();
        assertThat(t.amqp().queue()).isEqualTo("releng-prod");
        assertThat(t.amqp().exchange()).isEqualTo("releng.topic");
        assertThat(t.amqp().tls().caFile()).isEqualTo(Path.of("/etc/fedora-messaging/cacert.pem"));
        assertThat(t.amqp().connection().url()).isEqualTo("amqps://rabbitmq.example/%2Fpubsub");
    }

    @Test
    void badValuesFailAtStartNamingTheKey() {
        assertThatThrownBy(() -> load("triggers: {fedmsg: {endpoints: [\"hub.example:9940\"]}}\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("triggers.fedmsg.endpoints[0]: `hub.example:9940` is not a ZeroMQ endpoint such as"
                        + " tcp://hub.fedoraproject.org:9940");
        assertThatThrownBy(() -> load("triggers: {amqp: {enabled: true, url: \"http://rabbit\"}}\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("triggers.amqp.url: must start with amqp:// or amqps://, not http://rabbit");
        assertThatThrownBy(() -> load("triggers: {amqp: {enabled: true, queu: x}}\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key `triggers.amqp.queu`");
    }
}
