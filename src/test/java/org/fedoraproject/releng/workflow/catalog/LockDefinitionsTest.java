package org.fedoraproject.releng.workflow.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The definition's {@code locks} key. */
class LockDefinitionsTest {

    @TempDir
    Path catalog;

    @BeforeEach
    void playbook() throws Exception {
        Files.createDirectories(catalog.resolve("playbooks"));
        Files.writeString(catalog.resolve("playbooks/p.yml"), "- hosts: localhost\n  tasks: []\n");
    }

    Catalog load(String extra) throws Exception {
        Files.writeString(catalog.resolve("w.yaml"), "id: w\ntitle: T\nplaybook: playbooks/p.yml\n" + extra);
        return new CatalogLoader(catalog, Clock.systemUTC(), List.of(TopicPattern.ENGINE_ANNOUNCEMENTS), Set.of())
                .load();
    }

    List<String> errors(String extra) throws Exception {
        return load(extra)
                .findBroken("w")
                .orElseThrow(() -> new AssertionError("not broken"))
                .errors();
    }

    @Test
    void aWorkflowWithoutLocksHoldsNone() throws Exception {
        assertThat(load("").find("w").orElseThrow().locks()).isEmpty();
    }

    @Test
    void locksReadInTheOrderWritten() throws Exception {
        assertThat(load("locks: [compose, koji-tag2]\n").find("w").orElseThrow().locks())
                .containsExactly("compose", "koji-tag2");
    }

    @Test
    void aMisspelledLockBreaksTheDefinitionNamingItsPlace() throws Exception {
        assertThat(errors("locks: [compose, Compose]\n"))
                .singleElement()
                .asString()
                .contains("w.yaml:4: locks[1]: ")
                .contains("`Compose` is not a lock name");
        assertThat(errors("locks: [-compose]\n")).singleElement().asString().contains("w.yaml:4: locks[0]: ");
        assertThat(errors("locks: [\"koji compose\"]\n"))
                .singleElement()
                .asString()
                .contains("w.yaml:4: locks[0]: ");
        assertThat(errors("locks: [\"" + "a".repeat(org.fedoraproject.releng.workflow.lock.LockNames.MAX_LENGTH + 1)
                        + "\"]\n"))
                .singleElement()
                .asString()
                .contains("at most 100 characters");
    }

    @Test
    void aLockNamedTwiceBreaksTheDefinition() throws Exception {
        assertThat(errors("locks: [compose, push, compose]\n"))
                .singleElement()
                .asString()
                .contains("w.yaml:4: locks[2]: ")
                .contains("`compose` is named twice");
    }

    @Test
    void locksMustBeAList() throws Exception {
        assertThat(errors("locks: compose\n")).singleElement().asString().contains("locks");
    }
}
