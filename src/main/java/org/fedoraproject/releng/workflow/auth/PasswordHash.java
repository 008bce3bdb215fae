package org.fedoraproject.releng.workflow.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes for the break-glass login, with nothing but the JDK: PBKDF2 with HMAC-SHA256,
 * written as a self-describing {@code pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>} so that
 * the iteration count can grow later without breaking existing hashes. 210,000 iterations is
 * OWASP's 2023 advice for this function.
 */
public final class PasswordHash {

    public static final int ITERATIONS = 210_000;
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int KEY_BITS = 256;

    private PasswordHash() {}

    public static String hash(char[] password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return SCHEME + "$" + ITERATIONS + "$" + b64(salt) + "$" + b64(derive(password, salt, ITERATIONS, KEY_BITS));
    }

    /**
     * Whether the password matches, comparing in constant time.
     *
     * @throws IllegalArgumentException when {@code encoded} is not a hash this class writes
     */
    public static boolean verify(String encoded, char[] password) {
        Parsed p = parse(encoded);
        return MessageDigest.isEqual(p.hash(), derive(password, p.salt(), p.iterations(), p.hash().length * 8));
    }

    /** Checks the form without a password, so a broken configuration fails at start-up. */
    public static void check(String encoded) {
        parse(encoded);
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash) {}

    private static Parsed parse(String encoded) {
        String[] parts = encoded == null ? new String[0] : encoded.strip().split("\\$");
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            throw new IllegalArgumentException("not a `" + SCHEME + "$<iterations>$<salt>$<hash>` password hash;"
                    + " make one with `java -jar releng-workflow-engine.jar --hash-password`");
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            if (iterations < 10_000) {
                throw new IllegalArgumentException("the password hash uses only " + iterations + " iterations");
            }
            return new Parsed(
                    iterations,
                    Base64.getDecoder().decode(parts[2]),
                    Base64.getDecoder().decode(parts[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the password hash's iteration count is not a number");
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }
}
