package org.fedoraproject.releng.workflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code releng}: the engine's command-line client (docs/cli.md). Talks only to the HTTP API, so it
 * works against any engine the user can reach.
 */
@Command(
        name = "releng",
        mixinStandardHelpOptions = true,
        version = "releng 0.1.0",
        description = "Runs and follows Fedora releng workflows on a Releng Workflow Engine.",
        subcommands = {
            ListCommand.class,
            RunCommand.class,
            StatusCommand.class,
            LogCommand.class,
            CancelCommand.class,
            RelaunchCommand.class,
            ApproveCommand.class,
            DenyCommand.class,
            ResumeCommand.class,
            WhoamiCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success (a followed run succeeded)",
            "1:the followed run failed",
            "2:usage error, or parameters the engine refused",
            "3:the followed run was cancelled",
            "4:the followed run timed out",
            "5:the followed run was lost (its engine node died)",
            "6:authentication required or permission denied",
            "7:no such workflow or run",
            "8:the engine refused (conflict: run skipped, workflow broken, run already ended)",
            "9:the engine is unreachable or failing",
            "70:internal error in releng itself"
        })
public final class RelengCli implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--server",
            scope = ScopeType.INHERIT,
            paramLabel = "URL",
            description = "engine URL (default: $RELENG_URL, then `server` in the config file)")
    String server;

    @Option(
            names = "--token",
            scope = ScopeType.INHERIT,
            paramLabel = "TOKEN",
            description = "API token; visible to other local users in `ps`, so prefer --token-file")
    String token;

    @Option(
            names = "--token-file",
            scope = ScopeType.INHERIT,
            paramLabel = "FILE",
            description =
                    "file holding the API token (default: $RELENG_TOKEN, $RELENG_TOKEN_FILE, then the config file)")
    Path tokenFile;

    @Option(
            names = "--config",
            scope = ScopeType.INHERIT,
            paramLabel = "FILE",
            description = "YAML with server, token or tokenFile (default: ~/.config/releng/cli.yaml)")
    Path config;

    private final Map<String, String> env;
    private final Path home;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public RelengCli(Map<String, String> env, Path home) {
        this.env = Map.copyOf(env);
        this.home = home;
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv(), Path.of(System.getProperty("user.home")))
                .execute(args));
    }

    /** The configured command line; tests call this with their own environment and captured writers. */
    public static CommandLine commandLine(Map<String, String> env, Path home) {
        CommandLine cl = new CommandLine(new RelengCli(env, home));
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof CliException c) {
                err.println("releng: " + c.getMessage());
                err.flush();
                return c.exitCode().code;
            }
            err.println("releng: internal error: " + e);
            e.printStackTrace(err);
            err.flush();
            return ExitCode.INTERNAL.code;
        });
        return cl;
    }

    @Override
    public Integer call() {
        spec.commandLine()
                .getErr()
                .println("releng: give a command: list, run, relaunch, status, log, cancel or whoami");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE.code;
    }

    EngineClient client() {
        Connection c = new ConnectionSettings(env, home).resolve(server, token, tokenFile, config);
        return new EngineClient(c, json);
    }

    ObjectMapper json() {
        return json;
    }

    void printJson(PrintWriter out, JsonNode node) {
        try {
            out.println(json.writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CliException(ExitCode.INTERNAL, "cannot print JSON: " + e.getMessage(), e);
        }
        out.flush();
    }

    /** "echo-params #3 (run 17)": how people name a run. */
    static String describe(JsonNode run) {
        return run.path("workflow").asText() + " #" + run.path("number").asText() + " (run "
                + run.path("id").asText() + ")"
                + (run.path("options").path("check").asBoolean(false) ? " [dry run]" : "");
    }
}
