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

class TriggerDefinitionsTest {

    @TempDir
    Path dir;

    Path catalog;

    @BeforeEach
    void copyFixtures() {
        catalog = dir.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("triggered-workflows"), catalog);
    }

    private List<String> errorsOf(String id, String yaml) throws Exception {
        Files.writeString(catalog.resolve(id + ".yaml"), yaml);
        Catalog c = new CatalogLoader(catalog, Clock.systemUTC()).load();
        return c.findBroken(id).orElseThrow(() -> new AssertionError(id + " is not broken")).errors();
    }

    @Test
    void fixtureTriggersLoadWithTopicFilterAndThrottle() {
        Catalog c = new CatalogLoader(catalog, Clock.systemUTC()).load();

        assertThat(c.broken()).isEmpty();
        assertThat(c.find("on-tag").orElseThrow().triggers()).containsExactly(new WorkflowDefinition.Trigger("fedmsg",
                "org.fedoraproject.test.buildsys.tag", "$.msg.tag == 'f42-updates'", Duration.ZERO));
        assertThat(c.find("on-compose").orElseThrow().triggers().get(0).throttle()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void filterWithASyntaxErrorBreaksTheDefinitionNamingThePosition() throws Exception {
        assertThat(errorsOf("bad-filter", """
                id: bad-filter
                title: Bad filter
                playbook: playbooks/print-message.yml
                triggers:
                  - {bus: fedmsg, topic: org.fedoraproject.prod.buildsys.tag, filter: "$.msg.tag = 'f42'"}
                """)).singleElement().asString().isEqualTo("workflows/bad-filter.yaml:5: triggers[0].filter: "
                + "`$.msg.tag = 'f42'`: at position 11: unexpected `=`; expected `&&`, `||` or the end");
    }

    @Test
    void requiredParameterWithoutDefaultCannotBeMessageTriggered() throws Exception {
        assertThat(errorsOf("needs-input", """
                id: needs-input
                title: Needs input
                playbook: playbooks/print-message.yml
                parameters:
                  - {name: release, type: string}
                triggers:
                  - {bus: amqp, topic: org.fedoraproject.prod.bodhi.update.request.stable}
                """)).singleElement().asString().contains("triggers: parameter `release` is required and has no default")
                .contains("give it a default or required: false");
    }

    @Test
    void busAndTopicAreChecked() throws Exception {
        assertThat(errorsOf("bad-topic", """
                id: bad-topic
                title: Bad topic
                playbook: playbooks/print-message.yml
                triggers:
                  - {bus: kafka, topic: "org..fedoraproject"}
                """)).hasSize(2).anySatisfy(e -> assertThat(e).contains("triggers[0].bus: `kafka` must be fedmsg or amqp"))
                .anySatisfy(e -> assertThat(e).contains("triggers[0].topic: `org..fedoraproject` must be dot-separated words"));
    }
}
