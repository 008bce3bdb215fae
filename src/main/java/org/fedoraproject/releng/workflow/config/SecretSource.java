package org.fedoraproject.releng.workflow.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * A secret the configuration names by a file or an environment variable, never by value, so that
 * configuration files can be shared and committed. Read once at start; blank counts as missing.
 */
public final class SecretSource {

    private SecretSource() {}

    /**
     * The secret from {@code file} or else the variable {@code variable}; empty when neither is
     * configured. {@code key} names the configuration key in messages (e.g. {@code database}).
     */
    public static Optional<String> read(String key, String file, String variable, Function<String, String> env) {
        if (file != null) {
            try {
                String value = Files.readString(Path.of(file)).strip();
                if (value.isEmpty()) {
                    throw new ConfigException(key + ": the file " + file + " is empty");
                }
                return Optional.of(value);
            } catch (IOException e) {
                throw new ConfigException(key + ": cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        if (variable != null) {
            String value = env.apply(variable);
            if (value == null || value.isBlank()) {
                throw new ConfigException(key + ": the environment variable " + variable + " is not set");
            }
            return Optional.of(value.strip());
        }
        return Optional.empty();
    }
}
