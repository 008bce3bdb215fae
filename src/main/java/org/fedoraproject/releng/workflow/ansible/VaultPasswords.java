package org.fedoraproject.releng.workflow.ansible;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hands a run's vault passwords to Ansible as files only it can read. Each configured password
 * file is copied into the run's private directory, mode 0600 and never executable (Ansible runs an
 * executable password file as a script), read at each run so that a rotated password needs no
 * restart, and its password joins the run's secrets so that a playbook printing it shows the mask.
 */
final class VaultPasswords {

    private VaultPasswords() {}

    static List<PlaybookInvocation.VaultId> copy(Map<String, Path> files, Path scratchDir, List<String> secrets)
            throws IOException {
        if (files.isEmpty()) {
            return List.of();
        }
        Path dir = Files.createDirectory(
                scratchDir.resolve("vault"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        List<PlaybookInvocation.VaultId> ids = new ArrayList<>();
        for (Map.Entry<String, Path> e : new TreeMap<>(files).entrySet()) {
            byte[] password;
            try {
                password = Files.readAllBytes(e.getValue());
            } catch (IOException ex) {
                throw new IOException(
                        "vault id `" + e.getKey() + "`: cannot read its password file " + e.getValue() + ": "
                                + ex.getMessage(),
                        ex);
            }
            Path copy = dir.resolve(e.getKey());
            Files.createFile(copy, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(copy, password);
            // Ansible strips surrounding whitespace from a password file; mask what it uses
            String used = new String(password, StandardCharsets.UTF_8).strip();
            if (!used.isEmpty()) {
                secrets.add(used);
            }
            ids.add(new PlaybookInvocation.VaultId(e.getKey(), copy));
        }
        return List.copyOf(ids);
    }
}
