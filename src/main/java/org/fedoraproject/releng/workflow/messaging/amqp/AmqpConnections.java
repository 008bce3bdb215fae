package org.fedoraproject.releng.workflow.messaging.amqp;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultSaslConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import javax.net.ssl.SSLContext;
import org.fedoraproject.releng.workflow.config.AmqpConfig;

/**
 * Connection settings for a broker as fedora-messaging uses it: URL with virtual host, optional
 * password file, TLS from PEM files and, with a client certificate and no user in the URL, SASL
 * EXTERNAL. Shared by the publisher and the trigger consumer; {@code key} is the configuration
 * key that error messages name ({@code messaging.amqp}, {@code triggers.amqp}).
 */
public final class AmqpConnections {

    private AmqpConnections() {}

    public static ConnectionFactory factory(AmqpConfig config, String key) {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(config.url());
        } catch (Exception e) {
            throw new IllegalArgumentException(key + ".url: " + e.getMessage(), e);
        }
        boolean amqps = config.url().startsWith("amqps:");
        if (config.tls() != null || amqps) {
            SSLContext context;
            try {
                context = config.tls() != null
                        ? TlsContexts.fromPem(config.tls(), key + ".tls")
                        : SSLContext.getDefault();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalArgumentException(key + ".tls: " + e.getMessage(), e);
            }
            factory.useSslProtocol(context);
            factory.enableHostnameVerification();
        }
        if (config.passwordFile() != null) {
            try {
                factory.setPassword(Files.readString(config.passwordFile()).strip());
            } catch (IOException e) {
                throw new UncheckedIOException(key + ".passwordFile: cannot read " + config.passwordFile(), e);
            }
        }
        boolean userInUrl = URI.create(config.url()).getRawUserInfo() != null;
        if (config.tls() != null && config.tls().certFile() != null && !userInUrl) {
            // Fedora's brokers take the user from the client certificate.
            factory.setSaslConfig(DefaultSaslConfig.EXTERNAL);
        }
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout(5_000);
        factory.setHandshakeTimeout(5_000);
        factory.setChannelRpcTimeout(10_000);
        return factory;
    }
}
