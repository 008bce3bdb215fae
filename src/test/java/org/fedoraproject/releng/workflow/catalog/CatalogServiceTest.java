package org.fedoraproject.releng.workflow.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.fedoraproject.releng.workflow.access.Visibility;
import org.fedoraproject.releng.workflow.access.WorkflowAccess;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogServiceTest {

    @TempDir
    Path dir;

    Path catalog;
    CatalogService service;

    @BeforeEach
    void load() {
        catalog = dir.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalog);
        service = new CatalogService(new CatalogLoader(catalog, Clock.systemUTC()));
        service.reload();
    }

    @Test
    void brokenFileKeepsItsLastValidDefinitionInForce() throws Exception {
        Files.writeString(catalog.resolve("restricted-chore.yaml"), "id: restricted-chore\nvisibility: [\n");

        service.reload();

        assertThat(service.current().find("restricted-chore")).isEmpty();
        assertThat(service.current().findBroken("restricted-chore")).isPresent();
        assertThat(service.lastKnownGood("restricted-chore"))
                .hasValueSatisfying(w -> assertThat(w.visibility()).isEqualTo(Visibility.RESTRICTED));
        assertThat(service.access("restricted-chore").visibility()).isEqualTo(Visibility.RESTRICTED);
    }

    @Test
    void removedFileKeepsItsLastValidDefinitionInForce() throws Exception {
        WorkflowAccess before = service.access("qa-smoke");
        Files.delete(catalog.resolve("qa-smoke.yaml"));

        service.reload();

        assertThat(service.current().find("qa-smoke")).isEmpty();
        assertThat(service.access("qa-smoke")).isEqualTo(before);
        assertThat(service.access("qa-smoke").visibility()).isEqualTo(Visibility.PUBLIC);
        assertThat(service.lastKnownGood()).extracting(WorkflowDefinition::id).contains("qa-smoke");
    }

    @Test
    void aNewValidDefinitionReplacesTheLastOne() throws Exception {
        Path file = catalog.resolve("restricted-chore.yaml");
        Files.writeString(file, Files.readString(file).replace("visibility: restricted", "visibility: public"));

        service.reload();

        assertThat(service.access("restricted-chore").visibility()).isEqualTo(Visibility.PUBLIC);
    }

    @Test
    void aWorkflowNeverSeenValidCountsAsRestrictedWithNoEntries() throws Exception {
        Files.copy(
                TestEngine.FIXTURES.resolve("broken-workflows/typo-in-key.yaml"), catalog.resolve("typo-in-key.yaml"));

        service.reload();

        assertThat(service.lastKnownGood("typo-in-key")).isEmpty();
        assertThat(service.access("typo-in-key"))
                .isEqualTo(WorkflowAccess.restrictedWorkflow("typo-in-key", List.of()));
        assertThat(service.access("never-existed").visibility()).isEqualTo(Visibility.RESTRICTED);
    }
}
