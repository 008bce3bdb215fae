package org.fedoraproject.releng.workflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RabbitMqServerIT {

    @Test
    void closeLeavesNothingListening() {
        RabbitMqServer broker = RabbitMqServer.launch();
        int amqp = broker.port();
        int epmd = broker.epmdPort();
        assertThat(listening(amqp)).isTrue();
        assertThat(listening(epmd)).as("the node's own epmd").isTrue();

        broker.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> !listening(amqp) && !listening(epmd));
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return socket.isConnected();
        } catch (IOException refused) {
            return false;
        }
    }
}
