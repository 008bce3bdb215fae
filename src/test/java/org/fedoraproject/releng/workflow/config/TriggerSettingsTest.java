package org.fedoraproject.releng.workflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
        TriggerSettings t = load(
                        """
                triggers:
                  fedmsg: {endpoints: ["tcp://hub.example:9940"]}
                  amqp: {enabled: true, url: "amqps://rabbitmq.example/%2Fpubsub", queue: releng-prod,
                         tls: {caFile: /etc/fedora-messaging/cacert.pem, certFile: /etc/c.pem, keyFile: /etc/k.pem}}
                """,
                        Map.of(
                                "RELENG_TRIGGERS_FEDMSG_ENDPOINTS",
                                "[\"tcp://a:9940\", \"tcp://b:9940\"]",
                                "RELENG_TRIGGERS_AMQP_EXCHANGE",
                                "releng.topic"))
                .triggers();

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
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key `triggers.amqp.queu`");
    }

    @Test
    void signatureChecksAreOffUnlessAskedForAndTakeCaFileAndRoutingPolicy() throws Exception {
        assertThat(load("triggers: {fedmsg: {endpoints: [\"tcp://hub.example:9940\"]}}\n", Map.of())
                        .triggers()
                        .fedmsg()
                        .validateSignatures())
                .isFalse();

        TriggerSettings.Fedmsg f = load("""
                triggers:
                  fedmsg:
                    endpoints: ["tcp://hub.example:9940"]
                    validateSignatures: true
                    caFile: /etc/fedmsg/ca.crt
                    routingPolicy:
                      org.fedoraproject.prod.bodhi.update.request.stable: [bodhi-bodhi01.iad2.fedoraproject.org]
                """, Map.of("RELENG_TRIGGERS_FEDMSG_ROUTINGNITPICKY", "true"))
                .triggers()
                .fedmsg();

        assertThat(f.validateSignatures()).isTrue();
        assertThat(f.caFile()).isEqualTo(Path.of("/etc/fedmsg/ca.crt"));
        assertThat(f.routingPolicy())
                .containsExactly(Map.entry(
                        "org.fedoraproject.prod.bodhi.update.request.stable",
                        java.util.List.of("bodhi-bodhi01.iad2.fedoraproject.org")));
        assertThat(f.routingNitpicky()).isTrue();
        assertThat(load(
                                "",
                                Map.of(
                                        "RELENG_TRIGGERS_FEDMSG_VALIDATESIGNATURES",
                                        "true",
                                        "RELENG_TRIGGERS_FEDMSG_CAFILE",
                                        "/etc/ca.pem"))
                        .triggers()
                        .fedmsg()
                        .caFile())
                .isEqualTo(Path.of("/etc/ca.pem"));
    }

    @Test
    void signatureSettingsThatWouldProtectNothingFailAtStart() {
        assertThatThrownBy(() -> load("triggers: {fedmsg: {validateSignatures: true}}\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("triggers.fedmsg.validateSignatures is true but triggers.fedmsg.caFile is not set: give the"
                        + " PEM file of the CA that issues the fedmsg certificates"
                        + " (Fedora's: https://fedoraproject.org/fedmsg/ca.crt)");
        assertThatThrownBy(
                        () -> load("triggers: {fedmsg: {routingPolicy: {org.fedoraproject.prod.a: [x]}}}\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("triggers.fedmsg.routingPolicy is set but validateSignatures is not true, so no signature"
                        + " would be checked; set triggers.fedmsg.validateSignatures: true");
        assertThatThrownBy(() -> load("triggers: {fedmsg: {caFile: /etc/ca.crt}}\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("triggers.fedmsg.caFile is set but");
        assertThatThrownBy(() -> load(
                        "triggers: {fedmsg: {validateSignatures: true, caFile: /c,"
                                + " routingPolicy: {\"org.fedoraproject.*.a\": [x]}}}\n",
                        Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        "triggers.fedmsg.routingPolicy[org.fedoraproject.*.a]: a full topic without wildcards");
        assertThatThrownBy(() -> load(
                        "triggers: {fedmsg: {validateSignatures: true, caFile: /c,"
                                + " routingPolicy: {org.fedoraproject.prod.a: [\"\"]}}}\n",
                        Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        "triggers.fedmsg.routingPolicy[org.fedoraproject.prod.a]: a list of certificate names");
    }
}
