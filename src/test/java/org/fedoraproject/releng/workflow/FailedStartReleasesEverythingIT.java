package org.fedoraproject.releng.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fedoraproject.releng.workflow.config.ConfigException;
import org.fedoraproject.releng.workflow.config.ConfigLoader;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that fails late (here: the fedmsg triggers' CA file is no PEM, which only reading it
 * tells) closes what it had already opened, so that fixing the file and starting again works.
 */
class FailedStartReleasesEverythingIT {

    @TempDir
    Path home;

    @Test
    void engineThatFailsToListenForTriggersLeavesItsPortFree() throws Exception {
        int port = freePort();
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalog);
        Files.writeString(home.resolve("token"), TestEngine.TOKEN + "\n");
        Path notPem = Files.writeString(home.resolve("ca.crt"), "not a certificate\n");
        Path file = Files.writeString(
                home.resolve("engine.yaml"),
                TestEngine.configYaml(home, catalog).replace("port: 0", "port: " + port)
                        + "triggers:\n"
                        + "  fedmsg:\n"
                        + "    endpoints: [\"tcp://127.0.0.1:" + freePort() + "\"]\n"
                        + "    validateSignatures: true\n"
                        + "    caFile: " + notPem + "\n");
        EngineConfig config = new ConfigLoader().load(file, Map.of());

        assertThatThrownBy(() -> Engine.start(config, Map.of(), java.time.Clock.systemUTC()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("triggers.fedmsg.caFile");

        try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
