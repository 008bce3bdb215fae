package org.fedoraproject.releng.workflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Starts a run of a workflow.")
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    RelengCli root;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "WORKFLOW", description = "workflow id, as `releng list` shows it")
    String workflow;

    @Option(
            names = {"-p", "--param"},
            paramLabel = "KEY=VALUE",
            description = "a parameter: key=value (a string; the engine converts it to the parameter's type), "
                    + "key=@file (the file's text), key:=json (any JSON value); repeat a key for a list; "
                    + "key=a,b splits into a list for multichoice parameters")
    List<String> params = new ArrayList<>();

    @Option(
            names = {"-f", "--follow"},
            description = "print the run's console until it ends; exit with its result")
    boolean follow;

    @Option(
            names = {"-w", "--wait"},
            description = "wait until the run ends without printing its console; exit with its result")
    boolean await;

    @Option(names = "--json", description = "print the created run as JSON")
    boolean asJson;

    @Option(
            names = "--check",
            description = "a dry run: Ansible's check mode reports what would change and changes nothing")
    boolean check;

    @Option(names = "--diff", description = "show the differences Ansible's tasks make (or would make)")
    boolean diff;

    @Option(names = "--limit", paramLabel = "PATTERN", description = "run only on the hosts matching PATTERN")
    String limit;

    @Option(
            names = "--tags",
            paramLabel = "TAG",
            split = ",",
            description = "run only the tasks tagged so (a,b or repeated)")
    List<String> tags = new ArrayList<>();

    @Option(names = "--skip-tags", paramLabel = "TAG", split = ",", description = "skip the tasks tagged so")
    List<String> skipTags = new ArrayList<>();

    @Option(names = "-v", description = "more Ansible output: -v, -vv, -vvv … (as ansible-playbook's)")
    boolean[] verbose = new boolean[0];

    @Option(
            names = "--reason",
            paramLabel = "TEXT",
            description = "why you start this run (one line, at most 500 characters); shown on its page")
    String reason;

    @Override
    public Integer call() {
        if (!workflow.matches("[A-Za-z0-9._-]+")) {
            throw new CliException(ExitCode.USAGE, "`" + workflow + "` is not a workflow id; `releng list` shows them");
        }
        EngineClient client = root.client();
        ObjectNode parameters = new RunParameters(root.json()).parse(params, () -> multichoice(client));
        ObjectNode body = root.json().createObjectNode();
        body.set("parameters", parameters);
        ObjectNode options = options();
        if (!options.isEmpty()) {
            body.set("options", options);
        }
        if (reason != null) {
            body.put("reason", reason);
        }
        JsonNode run = client.post("/api/workflows/" + workflow + "/runs", body).body();
        return report(root, spec, client, run, follow, await, asJson);
    }

    /** What {@code run} and {@code relaunch} print about the run they started, and the wait they were asked for. */
    static int report(
            RelengCli root,
            CommandSpec spec,
            EngineClient client,
            JsonNode run,
            boolean follow,
            boolean await,
            boolean asJson) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (asJson) {
            root.printJson(out, run);
        }
        boolean waiting = "waiting_approval".equals(run.path("status").asText());
        if (!follow && !await) {
            if (!asJson) {
                out.println((waiting ? "Waiting for approval: " : "Queued ") + RelengCli.describe(run) + ": "
                        + run.path("url").asText());
                out.flush();
            }
            return ExitCode.OK.code;
        }
        long id = run.path("id").asLong();
        err.println(
                "Started " + RelengCli.describe(run) + ": " + run.path("url").asText());
        if (waiting) {
            err.println("Waiting for approval (" + run.path("workflow").asText()
                    + " needs it); `releng approve` or the run page decides");
        }
        err.flush();
        JsonNode end = follow ? followToEnd(client, id, out) : waitForEnd(client, id);
        return RunEnd.report(end, err);
    }

    static JsonNode followToEnd(EngineClient client, long id, PrintWriter out) {
        new LogFollower(client, out).follow(id, 0);
        // the log ends only once the run is final, so this answer is the final one
        return client.get("/api/runs/" + id);
    }

    static JsonNode waitForEnd(EngineClient client, long id) {
        Duration pause = LogFollower.FASTEST;
        while (true) {
            JsonNode run = client.get("/api/runs/" + id);
            if (ExitCode.isFinal(run.path("status").asText())) {
                return run;
            }
            LogFollower.pause(pause);
            pause = pause.multipliedBy(2).compareTo(LogFollower.SLOWEST) > 0
                    ? LogFollower.SLOWEST
                    : pause.multipliedBy(2);
        }
    }

    /** Only what was asked for: the engine refuses any option the workflow does not allow, even false ones. */
    ObjectNode options() {
        ObjectNode options = root.json().createObjectNode();
        if (check) {
            options.put("check", true);
        }
        if (diff) {
            options.put("diff", true);
        }
        if (limit != null) {
            options.put("limit", limit);
        }
        if (!tags.isEmpty()) {
            tags.forEach(options.putArray("tags")::add);
        }
        if (!skipTags.isEmpty()) {
            skipTags.forEach(options.putArray("skipTags")::add);
        }
        if (verbose.length > 0) {
            options.put("verbosity", verbose.length);
        }
        return options;
    }

    private Set<String> multichoice(EngineClient client) {
        Set<String> names = new HashSet<>();
        for (JsonNode p : client.get("/api/workflows/" + workflow).path("parameters")) {
            if ("multichoice".equals(p.path("type").asText())) {
                names.add(p.path("name").asText());
            }
        }
        return names;
    }
}
