package org.fedoraproject.releng.workflow.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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
        return c.findBroken(id)
                .orElseThrow(() -> new AssertionError(id + " is not broken"))
                .errors();
    }

    @Test
    void fixtureCatalogLoadsEveryDefinitionWithItsSettings() {
        Catalog c = new CatalogLoader(catalog, Clock.systemUTC()).load();

        assertThat(c.broken()).isEmpty();
        WorkflowDefinition echo = c.find("echo-params").orElseThrow();
        assertThat(echo.playbook())
                .isEqualTo(catalog.resolve("playbooks/echo-params.yml")
                        .toAbsolutePath()
                        .normalize());
        assertThat(echo.concurrencyLimit()).isEqualTo(4);
        assertThat(echo.parameter("release").orElseThrow().choices()).containsExactly("rawhide", "42");
        assertThat(echo.parameter("label").orElseThrow().required()).isFalse();
        assertThat(echo.parameter("count").orElseThrow().defaultValue().asInt()).isEqualTo(1);
        WorkflowDefinition timeout = c.find("quick-timeout").orElseThrow();
        assertThat(timeout.timeout()).contains(Duration.ofSeconds(10));
        assertThat(c.find("skip-when-busy").orElseThrow().concurrencyPolicy()).isEqualTo(ConcurrencyPolicy.SKIP);
        assertThat(c.find("restricted-chore").orElseThrow().isRestricted()).isTrue();
        assertThat(c.find("with-secret")
                        .orElseThrow()
                        .parameter("token")
                        .orElseThrow()
                        .required())
                .isTrue();
    }

    @Test
    void unknownKeyIsReportedWithFileAndLine() throws Exception {
        assertThat(errorsOf(withBroken("typo-in-key.yaml"), "typo-in-key"))
                .singleElement()
                .asString()
                .startsWith("workflows/typo-in-key.yaml:4: unknown key `timout`");
    }

    @Test
    void playbookOutsideTheCatalogIsRefused() throws Exception {
        assertThat(errorsOf(withBroken("escapes-catalog.yaml"), "escapes-catalog"))
                .singleElement()
                .asString()
                .contains(":3: playbook: `../../../etc/passwd` leads outside the catalog directory");
    }

    @Test
    void invalidYamlIsReportedWithItsLine() throws Exception {
        assertThat(errorsOf(withBroken("bad-yaml.yaml"), "bad-yaml"))
                .singleElement()
                .asString()
                .startsWith("workflows/bad-yaml.yaml:")
                .contains("not valid YAML");
    }

    @Test
    void badParameterTypeNamesTheParameterAndLine() throws Exception {
        assertThat(errorsOf(withBroken("bad-parameter.yaml"), "bad-parameter"))
                .singleElement()
                .asString()
                .isEqualTo("workflows/bad-parameter.yaml:6: parameters[1].type: unknown parameter type `strng`: "
                        + "must be one of string, text, integer, boolean, choice, multichoice, secret");
    }

    @Test
    void includeFileCannotBeAWorkflowPlaybook() throws Exception {
        assertThat(errorsOf(withBroken("runs-an-include.yaml"), "runs-an-include"))
                .singleElement()
                .asString()
                .contains("is an include file");
    }

    @Test
    void idMustMatchTheFileName() throws Exception {
        assertThat(errorsOf(withBroken("wrong-id.yaml"), "wrong-id"))
                .singleElement()
                .asString()
                .contains("`another-name` does not match the file name `wrong-id.yaml`");
    }

    @Test
    void sameIdInTwoFilesBreaksBoth() throws Exception {
        Files.copy(catalog.resolve("echo-params.yaml"), catalog.resolve("echo-params.yml"));

        Catalog c = new CatalogLoader(catalog, Clock.systemUTC()).load();

        assertThat(c.find("echo-params")).isEmpty();
        assertThat(c.broken())
                .filteredOn(b -> b.id().equals("echo-params"))
                .hasSize(2)
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

        assertThat(errorsOf(c, "leaky"))
                .singleElement()
                .asString()
                .isEqualTo(
                        "workflows/leaky.yaml:5: parameters[0].default: a secret cannot have a default: the catalog is public");
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
        assertThat(String.join("\n", errors))
                .contains("title: required")
                .contains("does not exist")
                .contains("visibility: `secret` must be public or restricted")
                .contains("timeout: `soon` is not a duration")
                .contains("concurrency.limit: must be at least 1")
                .contains("unknown concurrency policy `fifo`");
    }

    private Catalog load() {
        return new CatalogLoader(catalog, Clock.systemUTC()).load();
    }

    /** A definition that would load but for its {@code playbook:} line. */
    private void writeWithPlaybook(String id, String playbookYaml) throws Exception {
        Files.writeString(catalog.resolve(id + ".yaml"), "id: " + id + "\ntitle: T\nplaybook: " + playbookYaml + "\n");
    }

    @Test
    void nulInPlaybookIsABrokenDefinitionAndTheFilesAfterItStillLoad() throws Exception {
        // "aaa" sorts first: every other definition is read after it
        writeWithPlaybook("aaa-nul", "\"playbooks/a\\0b.yml\"");

        Catalog c = load();

        assertThat(errorsOf(c, "aaa-nul"))
                .singleElement()
                .asString()
                .isEqualTo("workflows/aaa-nul.yaml:3: playbook: `playbooks/a\\u0000b.yml` is not a valid path: "
                        + "it contains a NUL character");
        assertThat(c.find("sleeper")).isPresent();
        assertThat(c.find("with-secret")).isPresent();
    }

    @Test
    void nulInInventoryIsABrokenDefinition() throws Exception {
        Files.writeString(
                catalog.resolve("nul-inventory.yaml"),
                "id: nul-inventory\ntitle: T\nplaybook: playbooks/sleeper.yml\ninventory: \"inv\\0\"\n");

        assertThat(errorsOf(load(), "nul-inventory"))
                .singleElement()
                .asString()
                .isEqualTo("workflows/nul-inventory.yaml:4: inventory: `inv\\u0000` is not a valid path: "
                        + "it contains a NUL character");
    }

    @Test
    void veryLongPathIsReportedShortened() throws Exception {
        writeWithPlaybook("long-path", "playbooks/" + "a".repeat(300) + "/".repeat(2) + "b".repeat(70_000) + ".yml");

        String error = errorsOf(load(), "long-path").get(0);

        assertThat(error)
                .startsWith("workflows/long-path.yaml:3: playbook: `playbooks/aaaa")
                .contains("…` does not exist");
        assertThat(error.length()).isLessThan(400);
    }

    @Test
    void playbookThatIsADirectoryIsRefused() throws Exception {
        writeWithPlaybook("dir-playbook", "playbooks");

        assertThat(errorsOf(load(), "dir-playbook"))
                .singleElement()
                .asString()
                .isEqualTo("workflows/dir-playbook.yaml:3: playbook: `playbooks` is not a file");
    }

    @Test
    void fileThatIsNotUtf8IsBrokenWithTheOffsetOfTheBadByte() throws Exception {
        byte[] head = "id: latin\ntitle: Caf".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = java.util.Arrays.copyOf(head, head.length + 2);
        bytes[head.length] = (byte) 0xE9; // é in ISO-8859-1
        bytes[head.length + 1] = '\n';
        Files.write(catalog.resolve("latin.yaml"), bytes);

        assertThat(errorsOf(load(), "latin"))
                .singleElement()
                .asString()
                .isEqualTo("workflows/latin.yaml: is not UTF-8 text (invalid byte at offset " + head.length + ")");
    }

    @Test
    void definitionThatIsAScalarOrAListIsBroken() throws Exception {
        Files.writeString(catalog.resolve("scalar.yaml"), "just words\n");
        Files.writeString(catalog.resolve("listed.yaml"), "- id: listed\n- title: T\n");
        Files.writeString(catalog.resolve("empty.yaml"), "");

        Catalog c = load();

        for (String id : List.of("scalar", "listed", "empty")) {
            assertThat(errorsOf(c, id))
                    .singleElement()
                    .asString()
                    .isEqualTo("workflows/" + id + ".yaml: a workflow definition must be a YAML mapping");
        }
    }

    @Test
    void hugeDefinitionIsRefusedWithoutBeingParsed() throws Exception {
        Files.writeString(catalog.resolve("huge.yaml"), "id: huge\ntitle: \"" + "x".repeat(4_000_000) + "\"\n");

        long started = System.nanoTime();
        Catalog c = load();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(errorsOf(c, "huge"))
                .singleElement()
                .asString()
                .isEqualTo("workflows/huge.yaml: is 4000019 bytes; a definition may have at most 262144 (256 KiB)");
    }

    @Test
    void deeplyNestedDefinitionIsBroken() throws Exception {
        Files.writeString(
                catalog.resolve("deep.yaml"),
                "id: deep\ntitle: T\nplaybook: playbooks/sleeper.yml\n"
                        + "parameters:\n  - {name: x, type: text, default: " + "[".repeat(5000) + "]".repeat(5000)
                        + "}\n");

        assertThat(errorsOf(load(), "deep"))
                .singleElement()
                .asString()
                .isEqualTo("workflows/deep.yaml: nested deeper than 64 levels; a definition needs far fewer");
    }

    @Test
    void aliasIsRefusedRatherThanReadAsItsAnchorName() throws Exception {
        // Jackson reads `*x` as the text "x", not as the anchored value: silently wrong, so refused
        Files.writeString(catalog.resolve("aliased.yaml"), """
                id: aliased
                title: &x Aliased
                description: *x
                playbook: playbooks/sleeper.yml
                """);

        assertThat(errorsOf(load(), "aliased"))
                .singleElement()
                .asString()
                .isEqualTo("workflows/aliased.yaml:3: YAML aliases (`*x`) are not supported; write the value out");
    }

    @Test
    void billionLaughsIsRefusedQuickly() throws Exception {
        StringBuilder lol = new StringBuilder("id: lol\ntitle: T\nplaybook: playbooks/sleeper.yml\ndescription: x\n"
                + "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            lol.append("a")
                    .append(i)
                    .append(": &a")
                    .append(i)
                    .append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, "*a" + (i - 1))))
                    .append("]\n");
        }
        Files.writeString(catalog.resolve("lol.yaml"), lol);

        long started = System.nanoTime();
        List<String> errors = errorsOf(load(), "lol");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(errors).singleElement().asString().contains("YAML aliases (`*a0`) are not supported");
    }

    @Test
    void duplicateKeyIsABrokenDefinitionNamingTheKey() throws Exception {
        Files.writeString(catalog.resolve("twice.yaml"), """
                id: twice
                title: First
                playbook: playbooks/sleeper.yml
                title: Second
                """);

        assertThat(errorsOf(load(), "twice"))
                .singleElement()
                .asString()
                .isEqualTo("workflows/twice.yaml:4: duplicate key `title`: a key may appear once in a mapping");
    }

    @Test
    void emptyEntriesInListsAreBrokenNotACrash() throws Exception {
        Files.writeString(catalog.resolve("holes.yaml"), """
                id: holes
                title: T
                playbook: playbooks/sleeper.yml
                parameters:
                  - ~
                  - {name: pick, type: choice, choices: [a, ~]}
                permissions:
                  - ~
                  - {group: qa, allow: [run, ~]}
                triggers:
                  - ~
                """);

        assertThat(errorsOf(load(), "holes"))
                .containsExactlyInAnyOrder(
                        "workflows/holes.yaml:5: parameters[0]: must be a mapping such as {name: release, type: string}",
                        "workflows/holes.yaml:6: parameters[1].choices: has an empty entry",
                        "workflows/holes.yaml:8: permissions[0]: must be a mapping such as {group: releng, allow: [run]}",
                        "workflows/holes.yaml:9: permissions[1]: `allow` has an empty entry",
                        "workflows/holes.yaml:11: triggers[0]: must be a mapping such as {bus: fedmsg, topic: org.example.topic}");
    }

    @Test
    void choiceWithALineBreakIsRefused() throws Exception {
        Files.writeString(
                catalog.resolve("two-line-choice.yaml"),
                "id: two-line-choice\ntitle: T\n"
                        + "playbook: playbooks/sleeper.yml\nparameters:\n  - {name: pick, type: choice, choices: [\"a\\u2028b\", c]}\n");

        assertThat(errorsOf(load(), "two-line-choice"))
                .singleElement()
                .asString()
                .isEqualTo(
                        "workflows/two-line-choice.yaml:5: parameters[0].choices: `a\\u2028b` must be a single line");
    }

    @Test
    void filterNestedDeeperThanTheStackIsBrokenNotACrash() throws Exception {
        Files.writeString(
                catalog.resolve("deep-filter.yaml"),
                "id: deep-filter\ntitle: T\nplaybook: playbooks/sleeper.yml\n"
                        + "triggers:\n  - {bus: fedmsg, topic: a.b, filter: \"" + "!".repeat(200_000) + "true\"}\n");

        Catalog c = load();

        assertThat(errorsOf(c, "deep-filter"))
                .singleElement()
                .asString()
                .isEqualTo("workflows/deep-filter.yaml: nested too deeply to check");
        assertThat(c.find("sleeper")).isPresent();
    }

    @Test
    void fileThatDisappearsBetweenListingAndReadingIsBroken() {
        Path gone = catalog.resolve("gone.yaml");

        Catalog c = new CatalogLoader(catalog, Clock.systemUTC()).load(List.of(gone, catalog.resolve("sleeper.yaml")));

        assertThat(errorsOf(c, "gone"))
                .singleElement()
                .asString()
                .isEqualTo("workflows/gone.yaml: disappeared while the catalog was being read");
        assertThat(c.find("sleeper")).isPresent();
    }

    @Test
    void definitionLinkedFromOutsideTheCatalogIsRefused() throws Exception {
        Path outside = dir.resolve("outside.yaml");
        Files.writeString(outside, "id: smuggled\ntitle: T\nplaybook: playbooks/sleeper.yml\n");
        Files.createSymbolicLink(catalog.resolve("smuggled.yaml"), outside);

        assertThat(errorsOf(load(), "smuggled"))
                .singleElement()
                .asString()
                .isEqualTo("workflows/smuggled.yaml: is a link to a file outside the catalog directory");
    }

    @Test
    void definitionLinkedWithARelativeLinkThatClimbsOutIsRefused() throws Exception {
        Files.writeString(dir.resolve("outside.yaml"), "id: climbs\ntitle: T\nplaybook: playbooks/sleeper.yml\n");
        Files.createSymbolicLink(catalog.resolve("climbs.yaml"), Path.of("../outside.yaml"));

        assertThat(errorsOf(load(), "climbs"))
                .singleElement()
                .asString()
                .isEqualTo("workflows/climbs.yaml: is a link to a file outside the catalog directory");
    }

    @Test
    void danglingDefinitionLinkIsBroken() throws Exception {
        Files.createSymbolicLink(catalog.resolve("dangling.yaml"), Path.of("nowhere.yaml"));

        assertThat(errorsOf(load(), "dangling"))
                .singleElement()
                .asString()
                .isEqualTo("workflows/dangling.yaml: is a link to a file that does not exist");
    }

    @Test
    void definitionLinksInALoopAreBroken() throws Exception {
        Files.createSymbolicLink(catalog.resolve("ping.yaml"), Path.of("pong.yaml"));
        Files.createSymbolicLink(catalog.resolve("pong.yaml"), Path.of("ping.yaml"));

        Catalog c = load();

        for (String id : List.of("ping", "pong")) {
            assertThat(errorsOf(c, id))
                    .singleElement()
                    .asString()
                    .isEqualTo("workflows/" + id + ".yaml: is a link that cannot be followed: "
                            + "Too many levels of symbolic links or unable to access attributes of symbolic link");
        }
    }

    @Test
    void definitionLinkedToADirectoryIsBroken() throws Exception {
        Files.createSymbolicLink(catalog.resolve("folder.yaml"), Path.of("playbooks"));

        assertThat(errorsOf(load(), "folder"))
                .singleElement()
                .asString()
                .isEqualTo("workflows/folder.yaml: is a link to something that is not a file");
    }

    @Test
    void definitionLinkedInsideTheCatalogLoads() throws Exception {
        Files.createDirectories(catalog.resolve("defs"));
        Files.writeString(
                catalog.resolve("defs/linked.yaml"), "id: linked\ntitle: T\nplaybook: playbooks/sleeper.yml\n");
        Files.createSymbolicLink(catalog.resolve("linked.yaml"), Path.of("defs/linked.yaml"));

        Catalog c = load();

        assertThat(c.broken()).isEmpty();
        assertThat(c.find("linked")).isPresent();
    }

    @Test
    void catalogReachedThroughALinkStillLoadsEverything() throws Exception {
        Path link = dir.resolve("current");
        Files.createSymbolicLink(link, catalog);

        Catalog c = new CatalogLoader(link, Clock.systemUTC()).load();

        assertThat(c.broken()).isEmpty();
        assertThat(c.find("sleeper")).isPresent();
    }

    @Test
    void playbookLinkedFromOutsideTheCatalogIsRefused() throws Exception {
        Path outside = dir.resolve("outside.yml");
        Files.writeString(outside, "- hosts: localhost\n  tasks: []\n");
        Files.createSymbolicLink(catalog.resolve("playbooks/outside.yml"), outside);
        writeWithPlaybook("outside-playbook", "playbooks/outside.yml");

        assertThat(errorsOf(load(), "outside-playbook"))
                .singleElement()
                .asString()
                .isEqualTo("workflows/outside-playbook.yaml:3: playbook: `playbooks/outside.yml` is a link that leads "
                        + "outside the catalog directory");
    }

    @Test
    void playbookPathThatClimbsOutThroughALinkedDirectoryIsRefused() throws Exception {
        // lexically inside, but `up` leads to the catalog's parent, so the real path is outside
        Files.writeString(dir.resolve("escape.yml"), "- hosts: localhost\n  tasks: []\n");
        Files.createSymbolicLink(catalog.resolve("up"), dir);
        writeWithPlaybook("via-up", "up/escape.yml");

        assertThat(errorsOf(load(), "via-up"))
                .singleElement()
                .asString()
                .isEqualTo(
                        "workflows/via-up.yaml:3: playbook: `up/escape.yml` is a link that leads outside the catalog directory");
    }

    @Test
    void dotDotThatStaysInsideIsFine() throws Exception {
        writeWithPlaybook("round-trip", "playbooks/../playbooks/sleeper.yml");

        assertThat(load().find("round-trip")).isPresent();
    }
}
