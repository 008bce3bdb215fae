package org.fedoraproject.releng.workflow.config;

import java.nio.file.Path;

/**
 * {@code messaging.fedmsg} in the engine configuration. Exactly one of {@code bind} (passive mode:
 * consumers connect to us) and {@code relay} (active mode: we connect to a fedmsg-relay's inbound
 * endpoint) is set when enabled; {@code sign} is optional.
 */
public record FedmsgConfig(
        boolean enabled, String topicPrefix, String environment, String bind, String relay, Sign sign) {

    public static final String DEFAULT_TOPIC_PREFIX = "org.fedoraproject";
    public static final String DEFAULT_ENVIRONMENT = "dev";

    public FedmsgConfig {
        topicPrefix = blankToNull(topicPrefix) == null ? DEFAULT_TOPIC_PREFIX : topicPrefix;
        environment = blankToNull(environment) == null ? DEFAULT_ENVIRONMENT : environment;
        bind = blankToNull(bind);
        relay = blankToNull(relay);
    }

    /** Disabled, with the defaults; what the engine uses when the key is absent. */
    public static FedmsgConfig disabled() {
        return new FedmsgConfig(false, null, null, null, null, null);
    }

    public static FedmsgConfig bindTo(String endpoint) {
        return new FedmsgConfig(true, null, null, endpoint, null, null);
    }

    public static FedmsgConfig relayTo(String endpoint) {
        return new FedmsgConfig(true, null, null, null, endpoint, null);
    }

    public FedmsgConfig withEnvironment(String topicPrefix, String environment) {
        return new FedmsgConfig(enabled, topicPrefix, environment, bind, relay, sign);
    }

    public FedmsgConfig withSign(Path certFile, Path keyFile) {
        return new FedmsgConfig(enabled, topicPrefix, environment, bind, relay, new Sign(certFile, keyFile));
    }

    /** The first part of every topic: {@code <topicPrefix>.<environment>}. */
    public String topicBase() {
        return topicPrefix + "." + environment;
    }

    /** Checks what start-up needs; the message names the key to fix. */
    public void validate() {
        if (!enabled) {
            return;
        }
        if ((bind == null) == (relay == null)) {
            throw new IllegalArgumentException(
                    "messaging.fedmsg: set exactly one of bind (passive, e.g. tcp://*:3000) and relay"
                            + " (active, a fedmsg-relay inbound endpoint such as tcp://relay:2003)");
        }
        if (sign != null && (sign.certFile() == null || sign.keyFile() == null)) {
            throw new IllegalArgumentException(
                    "messaging.fedmsg.sign: both certFile and keyFile are required to sign messages");
        }
    }

    /** {@code messaging.fedmsg.sign}: the host's certificate and RSA key, both PEM. */
    public record Sign(Path certFile, Path keyFile) {}

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
