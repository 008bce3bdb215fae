package org.fedoraproject.releng.workflow.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks {@code ansible.vaultPasswordFiles} at start, so that a wrong path or a password anyone
 * on the machine can read stops the engine rather than the first run that needs it. The files
 * are read again at each run (a rotated password needs no restart).
 */
final class VaultPasswordFiles {

    private static final String KEY = "ansible.vaultPasswordFiles";
    /** As {@code --vault-id id@file} takes an id: no {@code @}, no separators. */
    private static final String ID = "[A-Za-z0-9_][A-Za-z0-9_.-]*";
    /** Shorter passwords could not be masked in a log without wrecking it (as secret parameters). */
    private static final int MIN_LENGTH = 6;

    private VaultPasswordFiles() {}

    static Map<String, String> check(Map<String, String> given) {
        Map<String, String> result = new TreeMap<>();
        if (given == null) {
            return result;
        }
        for (Map.Entry<String, String> e : given.entrySet()) {
            String key = KEY + "." + e.getKey();
            if (!e.getKey().matches(ID)) {
                throw new ConfigException(key + ": `" + e.getKey() + "` is not a vault id (letters, digits, . _ -)");
            }
            if (e.getValue() == null || e.getValue().isBlank()) {
                throw new ConfigException(key + ": needs the path of the file holding the password");
            }
            Path file = Path.of(e.getValue());
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(key + ": " + file + " does not exist or is not a file");
            }
            String password;
            try {
                if (Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ)) {
                    throw new ConfigException(key + ": " + file
                            + " is readable by every user of this machine; make it readable only by the engine's"
                            + " user (chmod 600)");
                }
                password = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
            } catch (IOException ex) {
                throw new ConfigException(key + ": cannot read " + file + ": " + ex.getMessage(), ex);
            }
            if (password.length() < MIN_LENGTH) {
                throw new ConfigException(key + ": the password in " + file + " is "
                        + (password.isEmpty() ? "empty" : "shorter than " + MIN_LENGTH + " characters")
                        + "; it would be masked all over run logs");
            }
            result.put(e.getKey(), file.toAbsolutePath().toString());
        }
        return Map.copyOf(result);
    }
}
