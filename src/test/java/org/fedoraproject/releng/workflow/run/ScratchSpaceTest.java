package org.fedoraproject.releng.workflow.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchSpaceTest {

    @TempDir
    Path root;

    @Test
    void eachNodeHasADirectoryOfItsOwnWhateverItsName() {
        assertThat(ScratchSpace.directoryName("releng01.iad2.fedoraproject.org"))
                .isEqualTo("releng01.iad2.fedoraproject.org");
        assertThat(Set.of(
                        ScratchSpace.directoryName("a/b"),
                        ScratchSpace.directoryName("a%2Fb"),
                        ScratchSpace.directoryName(".."),
                        ScratchSpace.directoryName("."),
                        ScratchSpace.directoryName("")))
                .hasSize(5)
                .allSatisfy(name -> assertThat(name).doesNotContain("/").isNotIn("", ".", ".."));
        Path run = new ScratchSpace(root, "..").forRun(7);
        assertThat(run.normalize().startsWith(root.resolve("nodes"))).isTrue();
        assertThat(run.getFileName().toString()).matches("7-[0-9a-f]+");
    }

    @Test
    void leftoversOfThisNodeAreErasedButNotThoseOfActiveRunsOrOtherNodes() throws Exception {
        ScratchSpace mine = new ScratchSpace(root, "node-a");
        Path lost = Files.createDirectories(mine.forRun(1));
        Files.writeString(lost.resolve("extra-vars.json"), "{\"token\":\"s3cret\"}");
        Files.createDirectories(lost.resolve("tmp/ansible-local-1"));
        Path active = Files.createDirectories(mine.forRun(2));
        Path otherNodes = Files.createDirectories(new ScratchSpace(root, "node-b").forRun(3));

        assertThat(mine.eraseLeftovers(Set.of(2L), id -> false)).isEqualTo(1);

        assertThat(lost).doesNotExist();
        assertThat(active).exists();
        assertThat(otherNodes).exists();
    }

    @Test
    void directoriesOfTheLayoutWithoutNodesAreErasedOnceTheirRunHasEnded() throws Exception {
        Path ended = Files.createDirectories(root.resolve("5-1a2b3c"));
        Files.writeString(ended.resolve("extra-vars.json"), "{}");
        Path stillRunning = Files.createDirectories(root.resolve("6-4d5e6f"));

        assertThat(new ScratchSpace(root, "node-a").eraseLeftovers(Set.of(), id -> id == 6))
                .isEqualTo(1);

        assertThat(ended).doesNotExist();
        assertThat(stillRunning).exists();
        assertThat(root.resolve("nodes")).doesNotExist();
    }
}
