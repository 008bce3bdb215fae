package org.fedoraproject.releng.workflow.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogLoaderTest {

    @TempDir
    Path dir;

    Path catalog;

    @BeforeEach
    void copyFixtures() throws Exception {
        catalog = dir.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalog);
    }

    private Catalog withBroken(String name) throws Exception {
        Files.copy(TestEngine.FIXTURES.resolve("broken-workflows").resolve(name), catalog.resolve(name));
        return new CatalogLoader(catalog, Clock.systemUTC()).load();
    }

    private static List<String> errorsOf(Catalog c, String id) {
        return c.findBroken(id).orElseThrow(() -> new AssertionError(id + " is not broken")).errors();
    }

    @Test
    void fixtureCatalogLoadsEveryDefinitionWithItsSettings() {
        Catalog c = new CatalogLoader(catalog, Clock.systemUTC()).load();

        assertThat(c.broken()).isEmpty();
        WorkflowDefinition echo = c.find("echo-params").orElseThrow();
        assertThat(echo.playbook()).isEqualTo(catalog.resolve("playbooks/echo-params.yml").toAbsolutePath().normalize());
        assertThat(echo.concurrencyLimit()).isEqualTo(4);
        assertThat(echo.parameter("release").orElseThrow().choices()).containsExactly("rawhide", "42");
        assertThat(echo.parameter("label").orElseThrow().required()).isFalse();
        assertThat(echo.parameter("count").orElseThrow().defaultValue().asInt()).isEqualTo(1);
        WorkflowDefinition timeout = c.find("quick-timeout").orElseThrow();
        assertThat(timeout.timeout()).contains(Duration.ofSeconds(10));
        assertThat(c.find("skip-when-busy").orElseThrow().concurrencyPolicy()).isEqualTo(ConcurrencyPolicy.SKIP);
        assertThat(c.find("restricted-chore").orElseThrow().isRestricted()).isTrue();
        assertThat(c.find("with-secret").orElseThrow().parameter("token").orElseThrow().required()).isTrue();
    }

    @Test
    void unknownKeyIsReportedWithFileAndLine() throws Exception {
        assertThat(errorsOf(withBroken("typo-in-key.yaml"), "typo-in-key"))
                .singleElement().asString().startsWith("workflows/typo-in-key.yaml:4: unknown key `timout`");
    }

    @Test
    void playbookOutsideTheCatalogIsRefused() throws Exception {
        assertThat(errorsOf(withBroken("escapes-catalog.yaml"), "escapes-catalog"))
                .singleElement().asString().contains(":3: playbook: `../../../etc/passwd` leads outside the catalog directory");
    }

    @Test
    void invalidYamlIsReportedWithItsLine() throws Exception {
        assertThat(errorsOf(withBroken("bad-yaml.yaml"), "bad-yaml"))
                .singleElement().asString().startsWith("workflows/bad-yaml.yaml:").contains("not valid YAML");
    }

    @Test
    void badParameterTypeNamesTheParameterAndLine() throws Exception {
        assertThat(errorsOf(withBroken("bad-parameter.yaml"), "bad-parameter"))
                .singleElement().asString()
                .isEqualTo("workflows/bad-parameter.yaml:6: parameters[1].type: unknown parameter type `strng`: "
                        + "must be one of string, text, integer, boolean, choice, multichoice, secret");
    }

    @Test
    void includeFileCannotBeAWorkflowPlaybook() throws Exception {
        assertThat(errorsOf(withBroken("runs-an-include.yaml"), "runs-an-include"))
                .singleElement().asString().contains("is an include file");
    }

    @Test
    void idMustMatchTheFileName() throws Exception {
        assertThat(errorsOf(withBroken("wrong-id.yaml"), "wrong-id"))
                .singleElement().asString().contains("`another-name` does not match the file name `wrong-id.yaml`");
    }

    @Test
    void sameIdInTwoFilesBreaksBoth() throws Exception {
        Files.copy(catalog.resolve("echo-params.yaml"), catalog.resolve("echo-params.yml"));

        Catalog c = new CatalogLoader(catalog, Clock.systemUTC()).load();

        assertThat(c.find("echo-params")).isEmpty();
        assertThat(c.broken()).filteredOn(b -> b.id().equals("echo-params")).hasSize(2)
                .allSatisfy(b -> assertThat(b.errors().get(0)).contains("duplicate id `echo-params`"));
        assertThat(c.find("sleeper")).isPresent();
    }

    @Test
    void secretWithADefaultIsRefused() throws Exception {
        Files.writeString(catalog.resolve("leaky.yaml"), """
                id: leaky
                title: Leaky
                playbook: playbooks/echo-params.yml
                parameters:
                  - {name: token, type: secret, default: hunter2}
                """);

        Catalog c = new CatalogLoader(catalog, Clock.systemUTC()).load();

        assertThat(errorsOf(c, "leaky")).singleElement().asString()
                .isEqualTo("workflows/leaky.yaml:5: parameters[0].default: a secret cannot have a default: the catalog is public");
    }

    @Test
    void everyProblemInAFileIsListed() throws Exception {
        Files.writeString(catalog.resolve("many.yaml"), """
                id: many
                playbook: playbooks/missing.yml
                visibility: secret
                timeout: soon
                concurrency: {limit: 0, policy: fifo}
                """);

        List<String> errors = errorsOf(new CatalogLoader(catalog, Clock.systemUTC()).load(), "many");

        assertThat(errors).hasSize(6);
        assertThat(String.join("\n", errors)).contains("title: required").contains("does not exist")
                .contains("visibility: `secret` must be public or restricted").contains("timeout: `soon` is not a duration")
                .contains("concurrency.limit: must be at least 1").contains("unknown concurrency policy `fifo`");
    }
}
