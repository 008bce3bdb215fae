package org.fedoraproject.releng.workflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fedoraproject.releng.workflow.testsupport.FedoraLikeProvider;
import org.fedoraproject.releng.workflow.testsupport.HttpUser;
import org.fedoraproject.releng.workflow.testsupport.RabbitMqServer;
import org.fedoraproject.releng.workflow.testsupport.ReleaseFakes;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Issue #9, "values are data, never code": values from outside the catalog (parameters of every
 * type, the user's name, the triggering message's id, body and headers) carry Jinja that would
 * run a command if Ansible templated it. Each command would leave a {@code pwned-*} file in the
 * catalog (lookup('pipe') runs in the playbook's directory); none may appear, and the console
 * must show the text exactly as given.
 *
 * <p>One engine serves the class, on the shipped catalog (for the original report, against
 * {@code test-day-prep}) plus {@code test-fixtures/unsafe-workflows}, whose {@code values-as-data}
 * uses every value in debug, command, set_fact and template; the engine logs people in through
 * a real OIDC provider and listens to a real fedmsg publisher and a real RabbitMQ.
 */
class ValuesAreDataIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOPIC = "org.fedoraproject.test.unsafe.values";
    static final String QUEUE = "releng-test-values-are-data";
    static final String UNSAFE = "AnsibleUnsafeText";

    @TempDir
    static Path home;

    static RabbitMqServer broker;
    static FedoraLikeProvider provider;
    static ReleaseFakes fakes;
    static ZContext zmq;
    /** A fedmsg publisher as anyone on the bus could run one: it writes the whole envelope. */
    static ZMQ.Socket fedmsg;

    static TestEngine engine;

    @BeforeAll
    static void start() throws Exception {
        broker = RabbitMqServer.launch();
        provider = FedoraLikeProvider.start(Clock.systemUTC()::instant);
        fakes = ReleaseFakes.start();
        String endpoint = "tcp://127.0.0.1:" + freePort();
        zmq = new ZContext(1);
        fedmsg = zmq.createSocket(SocketType.PUB);
        fedmsg.bind(endpoint);
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(ReleaseFakes.projectDir().resolve("workflows"), catalog);
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("unsafe-workflows"), catalog);
        engine = TestEngine.startWithAuth(
                home,
                "oidc: " + provider.oidcYaml() + "\n",
                Map.of(
                        FedoraLikeProvider.SECRET_ENV,
                        FedoraLikeProvider.SECRET,
                        // the shipped compose-nightly is scheduled: it must not start a compose mid-test
                        "RELENG_SCHEDULES_ENABLED",
                        "false",
                        "RELENG_TRIGGERS_FEDMSG_ENDPOINTS",
                        "[\"" + endpoint + "\"]",
                        "RELENG_TRIGGERS_AMQP_ENABLED",
                        "true",
                        "RELENG_TRIGGERS_AMQP_URL",
                        broker.amqpUrl(),
                        "RELENG_TRIGGERS_AMQP_QUEUE",
                        QUEUE),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable part : new AutoCloseable[] {engine, zmq, fakes, provider, broker}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                // the others must still stop
            }
        }
    }

    @AfterEach
    void noValueWasTemplated() {
        assertThat(pwned()).as("files left by values that Ansible templated").isEmpty();
    }

    /** A value that, templated, would run a command leaving {@code pwned-<name>}. */
    static String lookup(String name) {
        return "{{ lookup('pipe', 'touch pwned-" + name + "') }}";
    }

    /** The same as a statement, and a comment that templating would remove. */
    static String payload(String name) {
        return lookup(name) + " {% set x = lookup('pipe', 'touch pwned-" + name + "-statement') %} {# a comment #}";
    }

    static List<String> pwned() {
        try (Stream<Path> files = Files.walk(engine.catalogDir())) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("pwned"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void parametersOfEveryTypeReachThePlaybookAsLiteralText() throws Exception {
        String title = payload("title");
        String notes = "first line\n" + payload("notes") + "\nlast line";
        List<String> picks = List.of(
                lookup("picks"), "{% set x = lookup('pipe', 'touch pwned-picks-statement') %}", "{# a comment #}");
        String parameters = JSON.writeValueAsString(
                Map.of("title", title, "notes", notes, "picks", picks, "token", payload("token")));

        JsonNode run = engine.awaitFinal(
                engine.trigger("values-as-data", parameters).get("id").asLong());

        String log = engine.log(run.get("id").asLong());
        assertThat(run.get("status").asText()).as(log).isEqualTo("succeeded");
        String shownNotes = notes.replace("\n", "\\n");
        String shownPicks = String.join("|", picks);
        assertThat(log)
                .contains("TYPES title=" + UNSAFE + " notes=" + UNSAFE + " pick=" + UNSAFE + " token=" + UNSAFE
                        + " user=" + UNSAFE + " url=" + UNSAFE + " cause=" + UNSAFE)
                .contains("DEBUG title=[" + title + "] notes=[" + shownNotes + "] picks=[" + shownPicks
                        + "] user=[releng-bot]")
                .contains("COMMAND " + title + " " + shownNotes)
                .contains("FACT title=[" + title + "] notes=[" + shownNotes + "] picks=[" + shownPicks + "]")
                .contains("TEMPLATE title=[" + title + "] notes=[" + shownNotes + "] picks=[" + shownPicks + "]")
                // the secret was not templated either, and is masked wherever it shows
                .contains("token=[********]")
                .doesNotContain("pwned-token");
    }

    @Test
    void aUserNameFromTheProviderIsDataToo() throws Exception {
        String name = lookup("user");
        HttpUser user = HttpUser.logIn(engine, provider, name, "qa");

        HttpResponse<String> created = user.post("/api/workflows/values-as-data/runs", "{\"parameters\":{}}", true);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode run = engine.awaitFinal(engine.read(created.body()).get("id").asLong());
        String log = engine.log(run.get("id").asLong());
        assertThat(run.get("status").asText()).as(log).isEqualTo("succeeded");
        assertThat(log).contains("user=" + UNSAFE).contains("user=[" + name + "]");
    }

    /** The report in issue #9, as it was made: a qa member, the shipped catalog, test-day-prep. */
    @Test
    void qaMemberCannotRunCommandsThroughTheTestDayTitle() throws Exception {
        String title = "{{ lookup(\"pipe\", \"id > pwned-test-day\") }}";
        HttpUser quinn = HttpUser.logIn(engine, provider, "quinn", "qa");

        HttpResponse<String> created = quinn.post(
                "/api/workflows/test-day-prep/runs",
                JSON.writeValueAsString(
                        Map.of("parameters", testDay(title, "https://fedoraproject.org/wiki/Test_Day"))),
                true);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode run = engine.awaitFinal(engine.read(created.body()).get("id").asLong());
        assertThat(run.get("status").asText())
                .as(engine.log(run.get("id").asLong()))
                .isEqualTo("succeeded");
        JsonNode comments = fakes.bodhiState().at("/updates/FEDORA-2026-3c4d5e6f70/comments");
        assertThat(comments).isNotEmpty();
        assertThat(comments.get(comments.size() - 1).path("text").asText())
                .startsWith("This update is part of the " + title + " test day on 2026-12-01");
    }

    @Test
    void aUrlPatternChecksTheWholeValue() throws Exception {
        HttpUser quinn = HttpUser.logIn(engine, provider, "quinn", "qa");

        HttpResponse<String> refused = quinn.post(
                "/api/workflows/test-day-prep/runs",
                JSON.writeValueAsString(
                        Map.of("parameters", testDay("Kernel", "https://fedoraproject.org/" + lookup("url")))),
                true);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(engine.read(refused.body()).at("/fields/test_day_url").asText())
                .startsWith("must match ^https?://");
    }

    @Test
    void aFedmsgMessageIsDataAtEveryDepthAndInItsId() throws Exception {
        String id = lookup("fedmsg-id");
        ObjectNode envelope = JSON.createObjectNode()
                .put("topic", TOPIC)
                .put("msg_id", id)
                .put("i", 1)
                .put("timestamp", Instant.now().getEpochSecond())
                .put("username", lookup("fedmsg-username"));
        envelope.set("msg", nestedBody("fedmsg"));
        byte[] body = JSON.writeValueAsBytes(envelope);
        // ZeroMQ's slow joiner drops what is sent before the subscription arrives: send the same
        // message until it is heard; every copy after the first is a duplicate
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    fedmsg.sendMore(TOPIC);
                    fedmsg.send(body);
                    return runIdFor("fedmsg") != null;
                });

        String log = awaitSucceeded(runIdFor("fedmsg"));

        assertMessageArrivedAsText(log, "fedmsg");
        assertThat(log).contains("id=[" + id + "]");
    }

    @Test
    void anAmqpMessageIsDataInItsBodyHeadersAndId() throws Exception {
        String id = lookup("amqp-id");
        try (Connection c = broker.connect("values-are-data publisher");
                Channel ch = c.createChannel()) {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> ch.queueDeclarePassive(QUEUE).getConsumerCount() == 1);
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                    .contentType("application/json")
                    .contentEncoding("utf-8")
                    .deliveryMode(2)
                    .messageId(id)
                    .headers(Map.of(
                            "fedora_messaging_schema",
                            "base.message",
                            "fedora_messaging_severity",
                            20,
                            "x_note",
                            payload("amqp-header"),
                            lookup("amqp-header-name"),
                            "v"))
                    .build();
            ch.basicPublish("amq.topic", TOPIC, props, JSON.writeValueAsBytes(nestedBody("amqp")));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> runIdFor("amqp") != null);

        String log = awaitSucceeded(runIdFor("amqp"));

        assertMessageArrivedAsText(log, "amqp");
        assertThat(log).contains("id=[" + id + "]");
    }

    /** A body with the payload four levels down, in a key, and {@code via} to tell the buses apart. */
    static ObjectNode nestedBody(String via) {
        ObjectNode body = JSON.createObjectNode().put("via", via);
        body.putObject("level1")
                .putArray("level2")
                .add(0)
                .addObject()
                .putObject("level3")
                .put("payload", payload(via + "-deep"));
        body.put(lookup(via + "-key"), "a key");
        return body;
    }

    static void assertMessageArrivedAsText(String log, String via) {
        assertThat(log)
                .contains("message_id=" + UNSAFE + " deep=" + UNSAFE)
                .contains("deep=[" + payload(via + "-deep") + "]")
                .contains("\"" + lookup(via + "-key") + "\": \"a key\"")
                .contains("COMMAND plain title plain notes " + payload(via + "-deep"))
                .contains("FACT title=[plain title] notes=[plain notes] picks=[plain] deep=[" + payload(via + "-deep")
                        + "] keys=[")
                .contains("|" + lookup(via + "-key") + "]")
                .contains("TEMPLATE message " + lookup(via + "-key") + "=[a key]");
    }

    /** The run the message sent over {@code via} started, or null while there is none. */
    static Long runIdFor(String via) {
        JsonNode runs = engine.read(
                        engine.getWithToken("/api/runs?workflow=values-as-data").body())
                .get("runs");
        for (JsonNode run : runs) {
            JsonNode body =
                    engine.run(run.get("id").asLong()).path("triggeredBy").path("body");
            if (via.equals(body.path("via").asText())) {
                return run.get("id").asLong();
            }
        }
        return null;
    }

    static String awaitSucceeded(long id) {
        JsonNode run = engine.awaitFinal(id);
        String log = engine.log(id);
        assertThat(run.get("status").asText()).as(log).isEqualTo("succeeded");
        return log;
    }

    Map<String, Object> testDay(String title, String url) {
        return Map.of(
                "release",
                "F42",
                "packages",
                "kernel",
                "test_day_title",
                title,
                "test_day_date",
                "2026-12-01",
                "test_day_url",
                url,
                "bodhi_url",
                fakes.bodhiUrl().toString(),
                "bodhi_token",
                ReleaseFakes.BODHI_QA_TOKEN);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
