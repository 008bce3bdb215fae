package org.fedoraproject.releng.workflow.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.fedoraproject.releng.workflow.auth.PasswordHash;
import org.fedoraproject.releng.workflow.testsupport.PostgresServer;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlButton;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engine nodes on one PostgreSQL: a chain started on node A waits at a gate that a person
 * decides on node B's page; node B moves the chain on, and the chain ends whichever node ran its
 * last step.
 */
class TwoNodeChainIT {

    @TempDir
    Path dir;

    @Test
    void aGateDecidedOnTheOtherNodeMovesTheChainOn() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String url = pg.createDatabase("two_node_chain");
        Path catalog = dir.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalog);
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("chain-workflows"), catalog);
        String shared = "database: {url: \"" + url + "\", user: " + pg.user() + "}\n" + "secretsKeyFile: "
                + dir.resolve("secrets.key") + "\n";
        String auth = "localAdmin: {username: breakglass, passwordHash: \""
                + PasswordHash.hash("correct horse".toCharArray()) + "\"}\n";
        try (TestEngine a = TestEngine.startWith(
                        Files.createDirectories(dir.resolve("a")),
                        catalog,
                        shared + "nodeName: node-a\n",
                        auth,
                        Map.of(),
                        Clock.systemUTC());
                TestEngine b = TestEngine.startWith(
                        Files.createDirectories(dir.resolve("b")),
                        catalog,
                        shared + "nodeName: node-b\n",
                        auth,
                        Map.of(),
                        Clock.systemUTC())) {
            JsonNode chain = a.trigger("one-gate", null);
            long id = chain.get("id").asLong();
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> "waiting_approval"
                            .equals(ChainIT.steps(b.run(id))
                                    .get("go")
                                    .get("status")
                                    .asText()));

            String page = "/job/one-gate/" + chain.get("number").asLong() + "/";
            try (WebClient browser = new WebClient()) {
                browser.getOptions().setCssEnabled(false);
                browser.getOptions().setJavaScriptEnabled(false);
                HtmlPage login = browser.getPage(b.base("/login?next=" + page));
                HtmlForm form = (HtmlForm) login.getElementById("local-login");
                form.getInputByName("username").setValue("breakglass");
                form.getInputByName("password").setValue("correct horse");
                HtmlPage onB = ((HtmlButton) login.getElementById("local-login-submit")).click();
                ((HtmlButton) onB.getElementById("approve-go")).click();
            }
            JsonNode done = a.awaitFinal(id);

            assertThat(done.get("status").asText()).isEqualTo("succeeded");
            assertThat(ChainIT.steps(done).get("go").get("status").asText()).isEqualTo("succeeded");
            long then = ChainIT.stepRun(done, "then");
            assertThat(a.log(then) + b.log(then))
                    .as("the log is kept by the node that ran the step")
                    .contains("note=[after the gate]");
            assertThat(a.engine().runs().transitions(id))
                    .anyMatch(t -> "breakglass".equals(t.actor())
                            && t.reason() != null
                            && t.reason().startsWith("gate go: approved by breakglass"));
        }
    }
}
