package org.fedoraproject.releng.workflow.config;

import java.util.List;
import org.fedoraproject.releng.workflow.access.MatrixEntry;

/**
 * The whole configuration, one record per YAML section. Key names are a public contract
 * (DESIGN.md): deployment playbooks and scripts set them, so add keys but never rename them.
 * {@link ConfigLoader} fills every default, so code reading a loaded config never sees null
 * except where a section is genuinely optional.
 */
public record EngineConfig(
        Server server,
        String dataDir,
        String catalogDir,
        Database database,
        Integer workers,
        String nodeName,
        String secretsKeyFile,
        Runs runs,
        Schedules schedules,
        Auth auth,
        MessagingSettings messaging,
        org.fedoraproject.releng.workflow.config.TriggerSettings triggers,
        Ansible ansible) {

    /**
     * {@code vaultPasswordFiles}: vault id to the file holding its password, for workflows that
     * name the id in {@code vault}; checked at start (readable, not world-readable, not empty).
     */
    public record Ansible(java.util.Map<String, String> vaultPasswordFiles) {}

    /**
     * {@code host} is the address to bind; {@code baseUrl} is how links and messages name the engine;
     * {@code streamWriteTimeout}: a live log follower whose client takes nothing for this long is dropped.
     */
    public record Server(Integer port, String host, String baseUrl, String streamWriteTimeout) {}

    /** Without {@code url}, an embedded H2 database under {@code dataDir}. */
    public record Database(String url, String user, String passwordFile, String passwordEnv, Integer maxPoolSize) {}

    /**
     * {@code defaultTimeout} applies to workflows that set none; {@code terminateGrace} is how long a
     * stopped run's processes get between TERM and KILL; {@code ansiblePlaybook} is the command.
     */
    public record Runs(String defaultTimeout, String terminateGrace, String ansiblePlaybook) {}

    /**
     * {@code matrix}: global permission entries (default: anonymous may read public workflows);
     * {@code oidc}: the login provider (no login without it); {@code tokenMaxIdle}: an API token
     * stops working when its owner has not logged in for this long (default 90d);
     * {@code localAdmin}: the break-glass login for when the provider is down (off by default).
     */
    /**
     * {@code enabled: false} keeps workflows' schedules from starting runs (a staging engine on the
     * production catalog, say); set it alike on every node sharing a database.
     */
    public record Schedules(Boolean enabled) {}

    public record Auth(
            List<ServiceAccount> serviceAccounts,
            OidcConfig oidc,
            List<MatrixEntry> matrix,
            String tokenMaxIdle,
            String sessionMaxAge,
            LocalAdmin localAdmin) {}

    /** {@code passwordHash} as printed by {@code releng-workflow-engine --hash-password}. */
    public record LocalAdmin(String username, String passwordHash, String passwordHashFile) {}

    /** A machine identity: its token is read from {@code tokenFile} or the variable {@code tokenEnv}. */
    public record ServiceAccount(String name, List<String> groups, String tokenFile, String tokenEnv) {}
}
