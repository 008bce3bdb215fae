package org.fedoraproject.releng.workflow.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * {@code messaging.amqp} in the engine configuration (fedora-messaging). The broker URL carries
 * the virtual host and, unless client certificates are used, the user name and password;
 * {@code passwordFile} keeps the password out of the configuration file.
 */
public record AmqpConfig(
        boolean enabled,
        String url,
        String exchange,
        String topicPrefix,
        String environment,
        Path passwordFile,
        Tls tls) {

    public static final String DEFAULT_URL = "amqp://localhost:5672/%2F";
    public static final String DEFAULT_EXCHANGE = "amq.topic";
    public static final String DEFAULT_TOPIC_PREFIX = "org.fedoraproject";
    public static final String DEFAULT_ENVIRONMENT = "dev";

    public AmqpConfig {
        url = orDefault(url, DEFAULT_URL);
        exchange = orDefault(exchange, DEFAULT_EXCHANGE);
        topicPrefix = orDefault(topicPrefix, DEFAULT_TOPIC_PREFIX);
        environment = orDefault(environment, DEFAULT_ENVIRONMENT);
    }

    /** Disabled, with the defaults; what the engine uses when the key is absent. */
    public static AmqpConfig disabled() {
        return new AmqpConfig(false, null, null, null, null, null, null);
    }

    /** Enabled, publishing to {@code amq.topic} with routing keys {@code org.fedoraproject.dev.*}. */
    public static AmqpConfig to(String url) {
        return new AmqpConfig(true, url, null, null, null, null, null);
    }

    public AmqpConfig withTls(Path caFile, Path certFile, Path keyFile) {
        return new AmqpConfig(
                enabled, url, exchange, topicPrefix, environment, passwordFile, new Tls(caFile, certFile, keyFile));
    }

    public AmqpConfig withPasswordFile(Path file) {
        return new AmqpConfig(enabled, url, exchange, topicPrefix, environment, file, tls);
    }

    /** The routing key for a message topic: {@code <topicPrefix>.<environment>.<topic>}. */
    public String routingKey(String topic) {
        return topicPrefix + "." + environment + "." + topic;
    }

    /** Checks what start-up needs; the message names the key to fix. */
    public void validate() {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("messaging.amqp.url: not a URL: " + e.getMessage(), e);
        }
        if (!"amqp".equals(uri.getScheme()) && !"amqps".equals(uri.getScheme())) {
            throw new IllegalArgumentException("messaging.amqp.url: must start with amqp:// or amqps://, not " + url);
        }
        // the AMQP client takes the path as the virtual host and refuses more (%2F stands for a slash)
        String path = uri.getRawPath();
        if (path != null && path.length() > 1 && path.substring(1).contains("/")) {
            throw new IllegalArgumentException("messaging.amqp.url: the path is the virtual host, one segment (write a"
                    + " slash in it as %2F), not " + path);
        }
        if (tls != null && (tls.certFile() == null) != (tls.keyFile() == null)) {
            throw new IllegalArgumentException("messaging.amqp.tls: certFile and keyFile go together");
        }
    }

    /**
     * {@code messaging.amqp.tls}: the CA the broker's certificate must chain to, and the client
     * certificate and key (PEM) that Fedora's brokers authenticate publishers with.
     */
    public record Tls(Path caFile, Path certFile, Path keyFile) {}

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
