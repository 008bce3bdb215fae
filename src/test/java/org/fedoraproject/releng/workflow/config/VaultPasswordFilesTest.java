package org.fedoraproject.releng.workflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ansible.vaultPasswordFiles}: checked at start, so that a bad file stops the engine, not a run. */
class VaultPasswordFilesTest {

    @TempDir
    Path dir;

    final ConfigLoader loader = new ConfigLoader();

    Path passwordFile(String name, String content, String mode) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    EngineConfig load(String yaml) throws Exception {
        Path config = dir.resolve("engine.yaml");
        Files.writeString(config, yaml);
        return loader.load(config, Map.of());
    }

    @Test
    void withoutTheKeyThereAreNoVaultPasswords() {
        assertThat(loader.load(null, Map.of()).ansible().vaultPasswordFiles()).isEmpty();
    }

    @Test
    void aPrivateFileIsAccepted() throws Exception {
        Path file = passwordFile("releng", "s3cret-vault-pw\n", "rw-r-----");

        assertThat(load("ansible: {vaultPasswordFiles: {releng: " + file + "}}\n")
                        .ansible()
                        .vaultPasswordFiles())
                .containsExactly(Map.entry("releng", file.toString()));
    }

    @Test
    void theEnvironmentCanSetThem() throws Exception {
        Path file = passwordFile("releng", "s3cret-vault-pw\n", "rw-------");

        assertThat(loader.load(null, Map.of("RELENG_ANSIBLE_VAULTPASSWORDFILES", "{releng: " + file + "}"))
                        .ansible()
                        .vaultPasswordFiles())
                .containsKey("releng");
    }

    @Test
    void aMissingFileStopsTheStart() {
        assertThatThrownBy(() -> load("ansible: {vaultPasswordFiles: {releng: " + dir.resolve("nope") + "}}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ansible.vaultPasswordFiles.releng: ")
                .hasMessageContaining("does not exist or is not a file");
    }

    @Test
    void aWorldReadableFileStopsTheStart() throws Exception {
        Path file = passwordFile("releng", "s3cret-vault-pw\n", "rw-r--r--");

        assertThatThrownBy(() -> load("ansible: {vaultPasswordFiles: {releng: " + file + "}}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("is readable by every user of this machine")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void anEmptyOrShortPasswordStopsTheStart() throws Exception {
        Path empty = passwordFile("empty", "\n", "rw-------");
        Path shortOne = passwordFile("short", "abc\n", "rw-------");

        assertThatThrownBy(() -> load("ansible: {vaultPasswordFiles: {releng: " + empty + "}}\n"))
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> load("ansible: {vaultPasswordFiles: {releng: " + shortOne + "}}\n"))
                .hasMessageContaining("shorter than 6 characters");
    }

    @Test
    void aVaultIdThatAnsibleCouldNotTakeStopsTheStart() throws Exception {
        Path file = passwordFile("releng", "s3cret-vault-pw\n", "rw-------");

        assertThatThrownBy(() -> load("ansible: {vaultPasswordFiles: {\"re@leng\": " + file + "}}\n"))
                .hasMessageContaining("is not a vault id");
    }
}
