package org.fedoraproject.releng.workflow.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads the YAML file, lets environment variables override any key ({@code RELENG_} + the key path
 * in upper case joined by {@code _}, e.g. {@code RELENG_SERVER_PORT}), fills defaults and checks
 * everything at start-up so that a bad value fails with an exact message rather than later.
 */
public final class ConfigLoader {

    public static final String ENV_PREFIX = "RELENG_";

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public EngineConfig load(Path file, Map<String, String> env) {
        ObjectNode tree = read(file);
        String source = file == null ? "configuration" : file.toString();
        Set<String> overrides = new TreeSet<>();
        walk(tree, EngineConfig.class, ENV_PREFIX, env, overrides);
        if (!overrides.isEmpty()) {
            source = source + " with " + String.join(", ", overrides);
        }
        EngineConfig raw;
        try {
            raw = yaml.treeToValue(tree, EngineConfig.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null
                    ? ""
                    : e.getKnownPropertyIds().stream()
                            .map(Object::toString)
                            .sorted()
                            .collect(Collectors.joining(", "));
            throw new ConfigException(source + ": unknown key `" + path(e) + "`; known keys here: " + known);
        } catch (JsonProcessingException e) {
            String where = e instanceof com.fasterxml.jackson.databind.JsonMappingException m ? keyPath(m) : "";
            throw new ConfigException(source + ": " + (where.isEmpty() ? "" : where + ": ") + e.getOriginalMessage());
        }
        return withDefaults(raw, env);
    }

    private ObjectNode read(Path file) {
        if (file == null) {
            return yaml.createObjectNode();
        }
        try {
            JsonNode node = yaml.readTree(Files.readString(file));
            if (node == null || node.isMissingNode() || node.isNull()) {
                return yaml.createObjectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException(file + ": the configuration must be a YAML mapping");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null
                            ? ""
                            : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration " + file + ": " + e.getMessage(), e);
        }
    }

    private void walk(ObjectNode node, Class<?> type, String prefix, Map<String, String> env, Set<String> used) {
        for (RecordComponent component : type.getRecordComponents()) {
            String name = component.getName();
            String variable = prefix + name.toUpperCase(Locale.ROOT);
            String value = env.get(variable);
            if (value != null) {
                try {
                    node.set(name, scalarOrFlow(value, component.getGenericType()));
                } catch (JsonProcessingException e) {
                    throw new ConfigException(variable + ": not a valid value: " + e.getOriginalMessage());
                }
                used.add(variable);
            }
            Class<?> child = component.getType();
            if (child.isRecord()) {
                JsonNode existing = node.get(name);
                if (existing == null || existing.isNull()) {
                    ObjectNode created = node.objectNode();
                    walk(created, child, variable + "_", env, used);
                    if (!created.isEmpty()) {
                        node.set(name, created);
                    }
                } else if (existing.isObject()) {
                    walk((ObjectNode) existing, child, variable + "_", env, used);
                }
            }
        }
    }

    /** Strings stay strings; lists, maps, numbers and booleans are read as YAML flow text. */
    private JsonNode scalarOrFlow(String value, Type type) throws JsonProcessingException {
        return type == String.class ? yaml.getNodeFactory().textNode(value) : yaml.readTree(value);
    }

    private static String path(UnrecognizedPropertyException e) {
        return keyPath(e);
    }

    private static String keyPath(com.fasterxml.jackson.databind.JsonMappingException e) {
        List<String> parts = new ArrayList<>();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                parts.add(ref.getFieldName());
            } else {
                parts.add("[" + ref.getIndex() + "]");
            }
        }
        return String.join(".", parts).replace(".[", "[");
    }

    private static EngineConfig withDefaults(EngineConfig c, Map<String, String> env) {
        var server = c.server() == null ? new EngineConfig.Server(null, null, null, null) : c.server();
        int port = server.port() == null ? 8080 : server.port();
        if (port < 0 || port > 65535) {
            throw new ConfigException(
                    "server.port: " + port + " is not a port number (0 to 65535; 0 picks a free one)");
        }
        String host = server.host() == null ? "0.0.0.0" : server.host();
        String baseUrl = server.baseUrl();
        if (baseUrl != null) {
            try {
                URI uri = URI.create(baseUrl);
                if (uri.getScheme() == null
                        || uri.getHost() == null
                        || !uri.getScheme().startsWith("http")) {
                    throw new IllegalArgumentException("no http(s) scheme and host");
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException("server.baseUrl: `" + baseUrl + "` is not an http(s) URL: " + e.getMessage());
            }
            baseUrl = baseUrl.replaceAll("/+$", "");
        }
        String streamWriteTimeout = checkDuration("server.streamWriteTimeout", server.streamWriteTimeout(), "10s");
        if (Durations.parse(streamWriteTimeout).isZero()) {
            throw new ConfigException(
                    "server.streamWriteTimeout: must be more than 0 (it is how long a stalled log follower is kept)");
        }
        int workers = c.workers() == null ? 4 : c.workers();
        if (workers < 1 || workers > 256) {
            throw new ConfigException("workers: " + workers + " is out of range (1 to 256)");
        }
        var runs = c.runs() == null ? new EngineConfig.Runs(null, null, null) : c.runs();
        String defaultTimeout = checkDuration("runs.defaultTimeout", runs.defaultTimeout(), "6h");
        String grace = checkDuration("runs.terminateGrace", runs.terminateGrace(), "10s");
        var db = c.database() == null ? new EngineConfig.Database(null, null, null, null, null) : c.database();
        if (db.url() != null && !db.url().startsWith("jdbc:")) {
            throw new ConfigException(
                    "database.url: `" + db.url() + "` is not a JDBC URL (jdbc:postgresql://host:5432/releng)");
        }
        var auth = c.auth() == null ? new EngineConfig.Auth(List.of(), null, null, null, null, null) : c.auth();
        List<EngineConfig.ServiceAccount> accounts = new ArrayList<>();
        if (auth.serviceAccounts() != null) {
            for (int i = 0; i < auth.serviceAccounts().size(); i++) {
                accounts.add(checkAccount(i, auth.serviceAccounts().get(i)));
            }
        }
        String nodeName = c.nodeName() != null ? c.nodeName() : defaultNodeName(env);
        String catalogDir = c.catalogDir() == null ? "./workflows" : c.catalogDir();
        if (!Files.isDirectory(Path.of(catalogDir))) {
            throw new ConfigException("catalogDir: " + Path.of(catalogDir).toAbsolutePath() + " is not a directory");
        }
        checkOidc(auth.oidc(), env);
        MessagingSettings messaging = c.messaging() == null ? MessagingSettings.off() : c.messaging();
        checkMessaging(messaging);
        return new EngineConfig(
                new EngineConfig.Server(port, host, baseUrl, streamWriteTimeout),
                c.dataDir() == null ? "./data" : c.dataDir(),
                catalogDir,
                new EngineConfig.Database(
                        db.url(),
                        db.user(),
                        db.passwordFile(),
                        db.passwordEnv(),
                        db.maxPoolSize() == null ? workers + 6 : db.maxPoolSize()),
                workers,
                nodeName,
                c.secretsKeyFile(),
                new EngineConfig.Runs(
                        defaultTimeout,
                        grace,
                        runs.ansiblePlaybook() == null ? "ansible-playbook" : runs.ansiblePlaybook()),
                new EngineConfig.Schedules(c.schedules() == null
                        || c.schedules().enabled() == null
                        || c.schedules().enabled()),
                new EngineConfig.Auth(
                        List.copyOf(accounts),
                        auth.oidc(),
                        auth.matrix(),
                        checkDuration("auth.tokenMaxIdle", auth.tokenMaxIdle(), "90d"),
                        checkDuration("auth.sessionMaxAge", auth.sessionMaxAge(), "12h"),
                        auth.localAdmin()),
                messaging,
                triggers(c.triggers()),
                new EngineConfig.Ansible(VaultPasswordFiles.check(
                        c.ansible() == null ? null : c.ansible().vaultPasswordFiles())));
    }

    private static org.fedoraproject.releng.workflow.config.TriggerSettings triggers(
            org.fedoraproject.releng.workflow.config.TriggerSettings given) {
        try {
            return (given == null ? org.fedoraproject.releng.workflow.config.TriggerSettings.off() : given).validated();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** Also reads the client secret: a missing file or variable should stop the start, not the first login. */
    private static void checkOidc(OidcConfig oidc, Map<String, String> env) {
        if (oidc == null) {
            return;
        }
        try {
            oidc.validate();
            oidc.clientSecret(env::get);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    private static void checkMessaging(MessagingSettings messaging) {
        try {
            messaging.fedmsg().validate();
            if (messaging.amqp().enabled()) {
                messaging.amqp().validate();
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    private static EngineConfig.ServiceAccount checkAccount(int i, EngineConfig.ServiceAccount a) {
        String where = "auth.serviceAccounts[" + i + "]";
        if (a.name() == null || !a.name().matches("[A-Za-z0-9._-]+")) {
            throw new ConfigException(where + ".name: required, letters, digits, '.', '_' or '-'");
        }
        if ((a.tokenFile() == null) == (a.tokenEnv() == null)) {
            throw new ConfigException(where + " (" + a.name() + "): set exactly one of tokenFile or tokenEnv");
        }
        return new EngineConfig.ServiceAccount(
                a.name(), a.groups() == null ? List.of() : List.copyOf(a.groups()), a.tokenFile(), a.tokenEnv());
    }

    private static String checkDuration(String key, String value, String fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            Durations.parse(value);
            return value;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage());
        }
    }

    private static String defaultNodeName(Map<String, String> env) {
        String host = env.get("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = "localhost";
            }
        }
        return host;
    }
}
