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
        return c.findBroken(id)
                .orElseThrow(() -> new AssertionError(id + " is not broken"))
                .errors();
    }

    @Test
    void fixtureTriggersLoadWithTopicFilterAndThrottle() {
        Catalog c = new CatalogLoader(catalog, Clock.systemUTC()).load();

        assertThat(c.broken()).isEmpty();
        assertThat(c.find("on-tag").orElseThrow().triggers())
                .containsExactly(new WorkflowDefinition.Trigger(
                        "fedmsg", "org.fedoraproject.test.buildsys.tag", "$.msg.tag == 'f42-updates'", Duration.ZERO));
        assertThat(c.find("on-compose").orElseThrow().triggers().get(0).throttle())
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void filterWithASyntaxErrorBreaksTheDefinitionNamingThePosition() throws Exception {
        assertThat(errorsOf("bad-filter", """
                id: bad-filter
                title: Bad filter
                playbook: playbooks/print-message.yml
                triggers:
                  - {bus: fedmsg, topic: org.fedoraproject.prod.buildsys.tag, filter: "$.msg.tag = 'f42'"}
                """))
                .singleElement()
                .asString()
                .isEqualTo("workflows/bad-filter.yaml:5: triggers[0].filter: "
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
                """))
                .singleElement()
                .asString()
                .contains("triggers: parameter `release` is required and has no default")
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
                """))
                .hasSize(2)
                .anySatisfy(e -> assertThat(e).contains("triggers[0].bus: `kafka` must be fedmsg or amqp"))
                .anySatisfy(e ->
                        assertThat(e).contains("triggers[0].topic: `org..fedoraproject` must be dot-separated words"));
    }

    @Test
    void triggerThatWouldHearTheEnginesOwnAnnouncementsIsRefused() throws Exception {
        for (String topic : List.of(
                "org.fedoraproject.prod.releng.workflow.complete",
                "org.fedoraproject.*.releng.#",
                "org.fedoraproject.stg.#",
                "#",
                "*.*.*.*.workflow.start",
                "#.approval.request")) {
            assertThat(errorsOf("hears-itself", """
                    id: hears-itself
                    title: Hears itself
                    playbook: playbooks/print-message.yml
                    triggers:
                      - {bus: amqp, topic: "%s"}
                    """.formatted(topic)))
                    .as(topic)
                    .singleElement()
                    .asString()
                    .isEqualTo(
                            "workflows/hears-itself.yaml:5: triggers[0].topic: `" + topic + "` matches the engine's own"
                                    + " releng.workflow.* announcements; set allowSelf: true and a filter to accept them");
        }
    }

    @Test
    void theEnginesOwnTopicPrefixCountsWhateverItsLength() throws Exception {
        Files.writeString(catalog.resolve("hears-itself.yaml"), """
                id: hears-itself
                title: Hears itself
                playbook: playbooks/print-message.yml
                triggers:
                  - {bus: fedmsg, topic: "io.example.infra.prod.releng.workflow.complete"}
                """);
        assertThat(new CatalogLoader(catalog, Clock.systemUTC()).load().findBroken("hears-itself"))
                .isEmpty();

        Catalog c = new CatalogLoader(
                        catalog,
                        Clock.systemUTC(),
                        List.of(org.fedoraproject.releng.workflow.catalog.TopicPattern.announcementsUnder(
                                "io.example.infra.prod")))
                .load();
        assertThat(c.findBroken("hears-itself").orElseThrow().errors())
                .singleElement()
                .asString()
                .contains("matches the engine's own releng.workflow.* announcements");
    }

    @Test
    void allowSelfStillNeedsAFilter() throws Exception {
        assertThat(errorsOf("hears-itself", """
                id: hears-itself
                title: Hears itself
                playbook: playbooks/print-message.yml
                triggers:
                  - {bus: fedmsg, topic: org.fedoraproject.prod.releng.workflow.complete, allowSelf: true}
                """))
                .singleElement()
                .asString()
                .startsWith("workflows/hears-itself.yaml:5: triggers[0].filter: required" + " with allowSelf: true");

        Files.writeString(catalog.resolve("after-compose.yaml"), """
                id: after-compose
                title: After the nightly compose
                playbook: playbooks/print-message.yml
                triggers:
                  - bus: fedmsg
                    topic: org.fedoraproject.prod.releng.workflow.complete
                    allowSelf: true
                    filter: "$.msg.workflow == 'compose-nightly' && $.msg.status == 'succeeded'"
                  - {bus: amqp, topic: "org.fedoraproject.prod.pungi.#"}
                """);
        Catalog c = new CatalogLoader(catalog, Clock.systemUTC()).load();
        assertThat(c.findBroken("after-compose")).isEmpty();
        assertThat(c.find("after-compose").orElseThrow().triggers())
                .extracting(WorkflowDefinition.Trigger::allowSelf)
                .containsExactly(true, false);
    }
}
