package org.fedoraproject.releng.workflow.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.fedoraproject.releng.workflow.config.ConfigException;
import org.fedoraproject.releng.workflow.config.EngineConfig;

/**
 * The break-glass login for when the OIDC provider is down: one configured name and password hash.
 * Its sessions carry the group {@link #GROUP}, which the engine adds to the global matrix as admin
 * whenever a local admin is configured, so the matrix need not list it.
 */
public final class LocalAdmin {

    public static final String GROUP = "local-admin";

    private final String username;
    private final String passwordHash;

    private LocalAdmin(String username, String passwordHash) {
        this.username = username;
        this.passwordHash = passwordHash;
    }

    /** Empty when {@code auth.localAdmin} is not configured (the default). */
    public static Optional<LocalAdmin> from(EngineConfig.LocalAdmin config) {
        if (config == null
                || (config.username() == null && config.passwordHash() == null && config.passwordHashFile() == null)) {
            return Optional.empty();
        }
        if (config.username() == null || !config.username().matches("[A-Za-z0-9._-]+")) {
            throw new ConfigException("auth.localAdmin.username: required; letters, digits, '.', '_' or '-'");
        }
        if ((config.passwordHash() == null) == (config.passwordHashFile() == null)) {
            throw new ConfigException("auth.localAdmin: set exactly one of passwordHash or passwordHashFile");
        }
        String hash = config.passwordHash();
        if (hash == null) {
            try {
                hash = Files.readString(Path.of(config.passwordHashFile())).strip();
            } catch (IOException e) {
                throw new ConfigException("auth.localAdmin.passwordHashFile: cannot read " + config.passwordHashFile()
                        + ": " + e.getMessage());
            }
        }
        try {
            PasswordHash.check(hash);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("auth.localAdmin: " + e.getMessage());
        }
        return Optional.of(new LocalAdmin(config.username(), hash));
    }

    public String username() {
        return username;
    }

    /** Always derives the hash, even for a wrong name, so timing does not tell which part was wrong. */
    public boolean verify(String name, char[] password) {
        boolean passwordOk = PasswordHash.verify(passwordHash, password);
        return passwordOk & Secrets.constantTimeEquals(username, name == null ? "" : name);
    }
}
