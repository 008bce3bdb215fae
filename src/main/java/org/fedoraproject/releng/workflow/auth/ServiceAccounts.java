package org.fedoraproject.releng.workflow.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedoraproject.releng.workflow.access.Principal;
import org.fedoraproject.releng.workflow.config.ConfigException;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.fedoraproject.releng.workflow.config.SecretSource;

/**
 * Machine identities from the configuration. Tokens are read once at start and kept only as
 * SHA-256 digests; a presented token is compared with every account's digest in constant time so
 * that timing tells nothing about which account, or how much of a token, matched.
 */
public final class ServiceAccounts {

    private static final int MIN_TOKEN_LENGTH = 16;

    private record Account(Principal principal, byte[] digest) {}

    private final List<Account> accounts;

    private ServiceAccounts(List<Account> accounts) {
        this.accounts = List.copyOf(accounts);
    }

    public static ServiceAccounts from(List<EngineConfig.ServiceAccount> configured, Map<String, String> env) {
        List<Account> accounts = new ArrayList<>();
        for (EngineConfig.ServiceAccount a : configured) {
            String token = token(a, env);
            if (token.length() < MIN_TOKEN_LENGTH) {
                throw new ConfigException("service account " + a.name() + ": the token must be at least "
                        + MIN_TOKEN_LENGTH + " characters (openssl rand -hex 32)");
            }
            accounts.add(new Account(
                    new Principal(Principal.Kind.SERVICE_ACCOUNT, a.name(), java.util.Set.copyOf(a.groups())),
                    digest(token)));
        }
        return new ServiceAccounts(accounts);
    }

    private static String token(EngineConfig.ServiceAccount a, Map<String, String> env) {
        return SecretSource.read("service account " + a.name(), a.tokenFile(), a.tokenEnv(), env::get)
                .orElseThrow();
    }

    public Optional<Principal> authenticate(String token) {
        byte[] presented = digest(token);
        Principal match = null;
        for (Account account : accounts) {
            if (MessageDigest.isEqual(account.digest(), presented)) {
                match = account.principal();
            }
        }
        return Optional.ofNullable(match);
    }

    static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
