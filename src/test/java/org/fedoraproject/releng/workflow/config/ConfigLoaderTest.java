package org.fedoraproject.releng.workflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    ConfigLoader loader = new ConfigLoader();

    @Test
    void withoutAFileTheEmbeddedDefaultsApply() {
        EngineConfig c = loader.load(null, Map.of("HOSTNAME", "node1"));

        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.dataDir()).isEqualTo("./data");
        assertThat(c.catalogDir()).isEqualTo("./workflows");
        assertThat(c.database().url()).isNull();
        assertThat(c.workers()).isEqualTo(4);
        assertThat(c.nodeName()).isEqualTo("node1");
        assertThat(c.runs().defaultTimeout()).isEqualTo("6h");
        assertThat(c.auth().serviceAccounts()).isEmpty();
    }

    @Test
    void environmentOverridesAnyKeyIncludingLists() throws Exception {
        Path file = dir.resolve("engine.yaml");
        Files.writeString(file, "server: {port: 9000, baseUrl: \"https://releng.example.org/\"}\nworkers: 2\n");

        EngineConfig c = loader.load(
                file,
                Map.of(
                        "RELENG_SERVER_PORT", "9191",
                        "RELENG_DATADIR", "/srv/releng",
                        "RELENG_DATABASE_URL", "jdbc:postgresql://db/releng",
                        "RELENG_AUTH_SERVICEACCOUNTS", "[{name: bot, groups: [releng], tokenEnv: BOT}]"));

        assertThat(c.server().port()).isEqualTo(9191);
        assertThat(c.server().baseUrl()).isEqualTo("https://releng.example.org");
        assertThat(c.workers()).isEqualTo(2);
        assertThat(c.dataDir()).isEqualTo("/srv/releng");
        assertThat(c.database().url()).isEqualTo("jdbc:postgresql://db/releng");
        assertThat(c.auth().serviceAccounts())
                .singleElement()
                .satisfies(a -> assertThat(a.groups()).containsExactly("releng"));
    }

    @Test
    void unknownKeyIsNamedWithTheKnownOnes() throws Exception {
        Path file = dir.resolve("engine.yaml");
        Files.writeString(file, "server:\n  prot: 80\n");

        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        file + ": unknown key `server.prot`; known keys here: baseUrl, host, port, streamWriteTimeout");
    }

    @Test
    void badValuesFailAtStartWithTheKey() throws Exception {
        assertThatThrownBy(() -> loader.load(null, Map.of("RELENG_WORKERS", "0")))
                .hasMessage("workers: 0 is out of range (1 to 256)");
        assertThatThrownBy(() -> loader.load(null, Map.of("RELENG_RUNS_DEFAULTTIMEOUT", "forever")))
                .hasMessageStartingWith("runs.defaultTimeout: `forever` is not a duration");
        assertThatThrownBy(() -> loader.load(null, Map.of("RELENG_AUTH_SERVICEACCOUNTS", "[{name: bot}]")))
                .hasMessage("auth.serviceAccounts[0] (bot): set exactly one of tokenFile or tokenEnv");
        assertThatThrownBy(() -> loader.load(null, Map.of("RELENG_SERVER_BASEURL", "releng.example.org")))
                .hasMessageStartingWith("server.baseUrl: `releng.example.org` is not an http(s) URL");
    }

    @Test
    void streamWriteTimeoutIsADurationAboveZero() throws Exception {
        assertThat(loader.load(null, Map.of()).server().streamWriteTimeout()).isEqualTo("10s");
        Path file = dir.resolve("engine.yaml");
        Files.writeString(file, "server: {streamWriteTimeout: 30s}\n");
        assertThat(loader.load(file, Map.of()).server().streamWriteTimeout()).isEqualTo("30s");
        assertThat(loader.load(file, Map.of("RELENG_SERVER_STREAMWRITETIMEOUT", "500ms"))
                        .server()
                        .streamWriteTimeout())
                .isEqualTo("500ms");

        assertThatThrownBy(() -> loader.load(null, Map.of("RELENG_SERVER_STREAMWRITETIMEOUT", "soon")))
                .hasMessageStartingWith("server.streamWriteTimeout: `soon` is not a duration");
        assertThatThrownBy(() -> loader.load(null, Map.of("RELENG_SERVER_STREAMWRITETIMEOUT", "0s")))
                .hasMessageStartingWith("server.streamWriteTimeout: must be more than 0");
    }

    @Test
    void durationsReadAndWriteTheCatalogForm() {
        assertThat(Durations.parse("90s").toSeconds()).isEqualTo(90);
        assertThat(Durations.parse("6h").toMinutes()).isEqualTo(360);
        assertThat(Durations.format(Durations.parse("30m"))).isEqualTo("30m");
        assertThatThrownBy(() -> Durations.parse("6 hours")).hasMessageContaining("such as 90s, 30m, 6h or 2d");
    }

    @Test
    void aCatalogDirThatIsNotADirectoryStopsTheLoad() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("workflows.yaml"), "");

        assertThatThrownBy(() -> loader.load(null, Map.of("RELENG_CATALOGDIR", notADirectory.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("catalogDir: " + notADirectory.toAbsolutePath() + " is not a directory");
        assertThatThrownBy(() -> loader.load(
                        null, Map.of("RELENG_CATALOGDIR", dir.resolve("missing").toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("missing is not a directory");
    }

    @Test
    void badOidcSettingsStopTheLoadNamingTheKey() throws Exception {
        Path file = dir.resolve("engine.yaml");
        Files.writeString(file, "auth:\n  oidc: {issuer: \"ftp://id.example\", clientId: engine}\n");

        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("auth.oidc.issuer must be an http(s) URL, got `ftp://id.example`");
    }

    @Test
    void anOidcClientSecretThatCannotBeReadStopsTheLoad() throws Exception {
        Path file = dir.resolve("engine.yaml");
        Files.writeString(
                file,
                "auth:\n  oidc: {issuer: \"https://id.example\", clientId: engine,"
                        + " clientSecretEnv: OIDC_SECRET}\n");

        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("auth.oidc.clientSecret: the environment variable OIDC_SECRET is not set");
        assertThat(loader.load(file, Map.of("OIDC_SECRET", "s3cret"))
                        .auth()
                        .oidc()
                        .clientId())
                .isEqualTo("engine");
    }

    @Test
    void badBusSettingsStopTheLoadNamingTheKey() throws Exception {
        Path file = dir.resolve("engine.yaml");
        Files.writeString(file, "messaging:\n  fedmsg: {enabled: true}\n");
        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("messaging.fedmsg: set exactly one of bind");

        Files.writeString(file, "messaging:\n  amqp: {enabled: true, url: \"http://broker/\"}\n");
        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("messaging.amqp.url: must start with amqp:// or amqps://");
    }

    /** What the AMQP client would refuse only when the engine starts its publisher or consumer. */
    @Test
    void amqpUrlWithMoreThanAVirtualHostStopsTheLoad() throws Exception {
        Path file = dir.resolve("engine.yaml");
        Files.writeString(file, "messaging:\n  amqp: {enabled: true, url: \"amqp://broker/pubsub/extra\"}\n");
        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("messaging.amqp.url: the path is the virtual host, one segment");

        Files.writeString(file, "triggers:\n  amqp: {enabled: true, queue: q, url: \"amqp://broker/pubsub/extra\"}\n");
        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("triggers.amqp.url: the path is the virtual host, one segment");
    }
}
