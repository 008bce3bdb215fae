package org.fedoraproject.releng.workflow.run;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.fedoraproject.releng.workflow.config.ConfigException;

/**
 * Keeps secret parameter values encrypted (AES-256-GCM) between trigger and execution, because a
 * queued run must survive a restart but a secret must never be stored in clear. The sealed values
 * are erased when the run ends. Nodes sharing a database must share the key file.
 */
public final class SecretSealer {

    private static final int IV_BYTES = 12;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private SecretSealer(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** Reads the key file, creating it (readable by the engine's user only) when it does not exist. */
    public static SecretSealer fromKeyFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, Base64.getEncoder().encodeToString(fresh) + "\n");
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(file).strip());
            if (key.length != 32) {
                throw new ConfigException(
                        "secretsKeyFile " + file + ": must hold 32 bytes in base64 (openssl rand -base64 32)");
            }
            return new SecretSealer(key);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("secretsKeyFile " + file + ": not base64: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secrets key " + file, e);
        }
    }

    public String seal(Map<String, String> secrets) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(JSON.writeValueAsBytes(secrets));
            return Base64.getEncoder()
                    .encodeToString(ByteBuffer.allocate(iv.length + sealed.length)
                            .put(iv)
                            .put(sealed)
                            .array());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot seal secrets", e);
        }
    }

    public Map<String, String> open(String sealed) {
        try {
            byte[] all = Base64.getDecoder().decode(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, IV_BYTES));
            byte[] plain = cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES);
            return JSON.readValue(plain, new TypeReference<Map<String, String>>() {});
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot open sealed secrets (was the secrets key changed?)", e);
        }
    }
}
