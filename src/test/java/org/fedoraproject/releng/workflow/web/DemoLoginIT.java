package org.fedoraproject.releng.workflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.fedoraproject.releng.workflow.testsupport.DemoOidcProvider;
import org.fedoraproject.releng.workflow.testsupport.FedoraLikeProvider;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlButton;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The login scripts/run offers newcomers: pick a demo user on the stand-in provider's page. */
class DemoLoginIT {

    @TempDir
    Path home;

    @Test
    void newcomerPicksQuinnAndArrivesWithQuinnsGroups() throws Exception {
        try (FedoraLikeProvider provider = DemoOidcProvider.start(0);
                TestEngine engine = TestEngine.startWithLogin(home, provider);
                WebClient browser = new WebClient()) {
            browser.getOptions().setCssEnabled(false);
            browser.getOptions().setJavaScriptEnabled(false);
            HtmlPage dashboard = browser.getPage(engine.base("/"));

            HtmlPage providerPage = ((HtmlAnchor) dashboard.getElementById("login")).click();
            assertThat(providerPage.getTitleText()).isEqualTo("Demo login");
            HtmlButton quinn = providerPage.getByXPath("//button[text()='quinn']").stream()
                    .map(HtmlButton.class::cast)
                    .findFirst()
                    .orElseThrow();
            HtmlPage back = quinn.click();

            assertThat(back.getElementById("user").asNormalizedText()).isEqualTo("quinn");
            HtmlPage whoami = browser.getPage(engine.base("/whoami"));
            assertThat(whoami.getElementById("whoami-groups").asNormalizedText())
                    .isEqualTo("packager, qa");
            assertThat(whoami.getElementById("grants").asNormalizedText()).contains("qa-smoke\trun\tgroup:qa");
        }
    }
}
