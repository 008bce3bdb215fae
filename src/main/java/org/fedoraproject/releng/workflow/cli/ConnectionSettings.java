package org.fedoraproject.releng.workflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Works out the server and token from, in this order: command-line flags, the environment
 * ({@code RELENG_URL}, {@code RELENG_TOKEN}, {@code RELENG_TOKEN_FILE}) and the configuration file
 * ({@code --config}, else {@code $XDG_CONFIG_HOME/releng/cli.yaml} or {@code ~/.config/releng/cli.yaml}).
 */
final class ConnectionSettings {

    private static final Set<String> KEYS = Set.of("server", "token", "tokenFile");

    private final Map<String, String> env;
    private final Path home;

    ConnectionSettings(Map<String, String> env, Path home) {
        this.env = env;
        this.home = home;
    }

    Connection resolve(String serverFlag, String tokenFlag, Path tokenFileFlag, Path configFlag) {
        ConfigFile config = load(configFlag);
        String server = first(serverFlag, env.get("RELENG_URL"), config.server);
        if (server == null || server.isBlank()) {
            throw new CliException(
                    ExitCode.USAGE,
                    "no engine URL: give --server URL, set RELENG_URL, or put `server:` in " + config.describe());
        }
        URI uri = parseServer(server.strip());
        if (tokenFlag != null) {
            return new Connection(uri, tokenFlag.strip(), "--token");
        }
        if (tokenFileFlag != null) {
            return new Connection(uri, readToken(tokenFileFlag, "--token-file"), "--token-file " + tokenFileFlag);
        }
        if (notBlank(env.get("RELENG_TOKEN"))) {
            return new Connection(uri, env.get("RELENG_TOKEN").strip(), "RELENG_TOKEN");
        }
        if (notBlank(env.get("RELENG_TOKEN_FILE"))) {
            Path file = expand(env.get("RELENG_TOKEN_FILE").strip(), null);
            return new Connection(uri, readToken(file, "RELENG_TOKEN_FILE"), "RELENG_TOKEN_FILE " + file);
        }
        if (notBlank(config.token)) {
            return new Connection(uri, config.token.strip(), config.describe());
        }
        if (notBlank(config.tokenFile)) {
            Path file = expand(config.tokenFile.strip(), config.path.getParent());
            return new Connection(uri, readToken(file, "tokenFile in " + config.path), "tokenFile " + file);
        }
        return new Connection(uri, null, "nowhere (anonymous)");
    }

    /** Where a token could have come from, for "authentication required" messages. */
    static String tokenHint() {
        return "give an API token with --token-file FILE, the RELENG_TOKEN environment variable, "
                + "or `tokenFile:` in ~/.config/releng/cli.yaml";
    }

    private ConfigFile load(Path configFlag) {
        Path path;
        boolean explicit = configFlag != null || notBlank(env.get("RELENG_CONFIG"));
        if (configFlag != null) {
            path = configFlag;
        } else if (notBlank(env.get("RELENG_CONFIG"))) {
            path = Path.of(env.get("RELENG_CONFIG").strip());
        } else if (notBlank(env.get("XDG_CONFIG_HOME"))) {
            path = Path.of(env.get("XDG_CONFIG_HOME").strip(), "releng", "cli.yaml");
        } else {
            path = home.resolve(".config/releng/cli.yaml");
        }
        if (!Files.exists(path)) {
            if (explicit) {
                throw new CliException(ExitCode.USAGE, "configuration file " + path + " does not exist");
            }
            return new ConfigFile(path, null, null, null);
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(path.toFile());
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot read " + path + ": " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new ConfigFile(path, null, null, null);
        }
        if (!root.isObject()) {
            throw new CliException(ExitCode.USAGE, path + ": expected a mapping with server, token or tokenFile");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new CliException(
                        ExitCode.USAGE, path + ": unknown key `" + key + "`; known keys are server, token, tokenFile");
            }
            if (!root.get(key).isTextual()) {
                throw new CliException(ExitCode.USAGE, path + ": `" + key + "` must be a string");
            }
        }
        return new ConfigFile(path, text(root, "server"), text(root, "token"), text(root, "tokenFile"));
    }

    private Path expand(String file, Path relativeTo) {
        if (file.equals("~") || file.startsWith("~/")) {
            return home.resolve(file.substring(Math.min(2, file.length())));
        }
        Path p = Path.of(file);
        return p.isAbsolute() || relativeTo == null ? p : relativeTo.resolve(p);
    }

    private static String readToken(Path file, String source) {
        try {
            String token = Files.readString(file).strip();
            if (token.isEmpty()) {
                throw new CliException(ExitCode.USAGE, "the token file " + file + " (" + source + ") is empty");
            }
            return token;
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot read the token file " + file + " (" + source + "): " + e, e);
        }
    }

    private static URI parseServer(String server) {
        try {
            URI uri = new URI(server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new CliException(
                        ExitCode.USAGE,
                        "the engine URL must look like https://releng.example.org, not `" + server + "`");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new CliException(
                    ExitCode.USAGE, "the engine URL `" + server + "` is not a URL: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode root, String key) {
        JsonNode n = root.get(key);
        return n == null ? null : n.asText();
    }

    private static String first(String... values) {
        for (String v : values) {
            if (notBlank(v)) {
                return v;
            }
        }
        return null;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private record ConfigFile(Path path, String server, String token, String tokenFile) {
        String describe() {
            return path.toString();
        }
    }
}
