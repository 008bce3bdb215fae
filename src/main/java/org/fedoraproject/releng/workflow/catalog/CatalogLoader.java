package org.fedoraproject.releng.workflow.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fedoraproject.releng.workflow.access.MatrixEntry;
import org.fedoraproject.releng.workflow.access.Visibility;
import org.fedoraproject.releng.workflow.config.Durations;
import org.fedoraproject.releng.workflow.lock.LockNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every {@code *.yaml} / {@code *.yml} file at the top of the catalog directory. A file that
 * cannot be used becomes a {@link BrokenWorkflow} listing each problem with file and line; it
 * never stops the others from loading, and nothing in a file makes {@link #load} throw.
 */
public final class CatalogLoader {

    private static final Logger log = LoggerFactory.getLogger(CatalogLoader.class);
    private static final String ID = "[a-z0-9][a-z0-9-]*";
    /** A vault id as Ansible's {@code --vault-id id@file} takes it: no {@code @}, no separators. */
    public static final String VAULT_ID = "[A-Za-z0-9_][A-Za-z0-9_.-]*";
    /** A definition is a few levels deep; far fewer than Jackson's 1000 keeps every walk over it shallow. */
    static final int MAX_DEPTH = 64;
    /** Values quoted in errors are cut here: an error names the value, it need not repeat 70 kB of it. */
    private static final int MAX_SHOWN = 120;

    // a duplicate key would leave the definition meaning whichever copy the parser keeps
    private final ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Path dir;
    private final Clock clock;
    private final List<TopicPattern> announcements;
    private final DefinitionFiles definitionFiles;
    private final java.util.Set<String> vaultIds;

    public CatalogLoader(Path dir, Clock clock) {
        this(dir, clock, List.of(TopicPattern.ENGINE_ANNOUNCEMENTS));
    }

    public CatalogLoader(Path dir, Clock clock, List<TopicPattern> announcements) {
        this(dir, clock, announcements, java.util.Set.of());
    }

    /**
     * {@code announcements}: the topics the engine's own run announcements go out on; a trigger
     * that could hear them is refused unless it says {@code allowSelf} and has a filter. {@code
     * vaultIds}: the vault ids the configuration has passwords for; a definition naming another is
     * broken, so the mistake shows in the catalog before any run.
     */
    public CatalogLoader(Path dir, Clock clock, List<TopicPattern> announcements, java.util.Set<String> vaultIds) {
        this.vaultIds = java.util.Set.copyOf(vaultIds);
        this.dir = dir.toAbsolutePath().normalize();
        this.clock = clock;
        this.announcements = List.copyOf(announcements);
        this.definitionFiles = new DefinitionFiles(this.dir);
    }

    public Path directory() {
        return dir;
    }

    public Catalog load() {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = definitionFiles.list(list).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return new Catalog(
                    List.of(),
                    List.of(new BrokenWorkflow(
                            "(catalog)", dir, List.of("cannot read catalog directory " + dir + ": " + e.getMessage()))),
                    clock.instant());
        }
        return load(files);
    }

    /** Loads the given definition files, as listed from the catalog directory. */
    Catalog load(List<Path> files) {
        Map<String, List<Path>> byId = files.stream()
                .collect(Collectors.groupingBy(CatalogLoader::idOf, LinkedHashMap::new, Collectors.toList()));
        List<WorkflowDefinition> good = new ArrayList<>();
        List<BrokenWorkflow> broken = new ArrayList<>();
        for (Map.Entry<String, List<Path>> entry : byId.entrySet()) {
            if (entry.getValue().size() > 1) {
                String names = entry.getValue().stream()
                        .map(p -> p.getFileName().toString())
                        .collect(Collectors.joining(" and "));
                for (Path file : entry.getValue()) {
                    broken.add(new BrokenWorkflow(
                            entry.getKey(),
                            file,
                            List.of(rel(file) + ": duplicate id `" + entry.getKey() + "`: defined by " + names)));
                }
                continue;
            }
            Path file = entry.getValue().get(0);
            List<String> errors = new ArrayList<>();
            WorkflowDefinition definition = loadGuarded(file, errors);
            if (definition == null || !errors.isEmpty()) {
                broken.add(new BrokenWorkflow(entry.getKey(), file, errors));
            } else {
                good.add(definition);
            }
        }
        // a chain is checked against the whole catalog, so only once every file is read
        new ChainChecks(this::rel).apply(good, broken);
        return new Catalog(good, broken, clock.instant());
    }

    static boolean isDefinitionFile(Path p) {
        String name = p.getFileName().toString();
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.startsWith(".");
    }

    static String idOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    /**
     * One definition, whatever it holds: a fault that the checks below did not foresee breaks this
     * definition, never the load, so the engine starts and the watcher keeps watching.
     */
    private WorkflowDefinition loadGuarded(Path file, List<String> errors) {
        try {
            return loadOne(file, errors);
        } catch (StackOverflowError e) {
            errors.add(rel(file) + ": nested too deeply to check");
        } catch (RuntimeException e) {
            log.error("checking {} failed unexpectedly", file, e);
            errors.add(rel(file) + ": cannot be checked (" + e.getClass().getSimpleName()
                    + "); the engine log has the details");
        }
        return null;
    }

    private WorkflowDefinition loadOne(Path file, List<String> errors) {
        String text;
        try {
            text = definitionFiles.read(file);
        } catch (DefinitionFiles.Unreadable e) {
            errors.add(rel(file) + ": " + e.getMessage());
            return null;
        }
        JsonNode tree;
        try {
            tree = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            errors.add(rel(file) + ":"
                    + (e.getLocation() == null ? "" : e.getLocation().getLineNr() + ":") + " " + yamlProblem(e));
            return null;
        }
        if (tree == null || !tree.isObject()) {
            errors.add(rel(file) + ": a workflow definition must be a YAML mapping");
            return null;
        }
        YamlLines lines = YamlLines.of(text);
        if (lines.firstAlias() != null) {
            // Jackson reads an alias as its anchor's name, not its value: the file would mean something else
            errors.add(rel(file) + ":" + lines.firstAliasLine() + ": YAML aliases (`*" + lines.firstAlias()
                    + "`) are not supported; write the value out");
            return null;
        }
        DefinitionSpec spec;
        try {
            spec = yaml.treeToValue(tree, DefinitionSpec.class);
        } catch (UnrecognizedPropertyException e) {
            String key = pathOf(e);
            errors.add(at(file, lines, key) + "unknown key `" + key + "`; known keys: "
                    + e.getKnownPropertyIds().stream()
                            .map(Object::toString)
                            .sorted()
                            .collect(Collectors.joining(", ")));
            return null;
        } catch (JsonProcessingException e) {
            String key = pathOf(e);
            errors.add(at(file, lines, key) + (key.isEmpty() ? "" : key + ": ") + e.getOriginalMessage());
            return null;
        }
        return new DefinitionValidator(dir, file, lines, errors).validate(spec, idOf(file));
    }

    private static String yamlProblem(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (e instanceof StreamConstraintsException && message.contains("nesting depth")) {
            return "nested deeper than " + MAX_DEPTH + " levels; a definition needs far fewer";
        }
        if (message.startsWith("Duplicate field '") && message.endsWith("'")) {
            String key = message.substring("Duplicate field '".length(), message.length() - 1);
            return "duplicate key `" + shown(key) + "`: a key may appear once in a mapping";
        }
        return "not valid YAML: " + message;
    }

    /** A value for an error message: control characters and line breaks made visible, length capped. */
    static String shown(String value) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (; i < value.length() && sb.length() < MAX_SHOWN; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return i < value.length() ? sb + "…" : sb.toString();
    }

    private static String pathOf(JsonProcessingException e) {
        if (!(e instanceof com.fasterxml.jackson.databind.JsonMappingException m)) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (var ref : m.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    String rel(Path file) {
        Path parent = dir.getParent();
        return parent == null
                ? file.toString()
                : parent.relativize(file.toAbsolutePath()).toString();
    }

    String at(Path file, YamlLines lines, String key) {
        int line = lines.lineOf(key);
        return rel(file) + (line > 0 ? ":" + line : "") + ": ";
    }

    /** Turns a spec into a definition, adding one message per problem. */
    private final class DefinitionValidator {
        private final Path root;
        private final Path file;
        private final YamlLines lines;
        private final List<String> errors;

        DefinitionValidator(Path root, Path file, YamlLines lines, List<String> errors) {
            this.root = root;
            this.file = file;
            this.lines = lines;
            this.errors = errors;
        }

        void error(String key, String message) {
            errors.add(at(file, lines, key) + key + ": " + message);
        }

        WorkflowDefinition validate(DefinitionSpec s, String fileId) {
            if (s.id() == null) {
                error("id", "required");
            } else if (!s.id().matches(ID)) {
                error("id", "`" + s.id() + "` must be lower-case letters, digits and '-'");
            } else if (!s.id().equals(fileId)) {
                error(
                        "id",
                        "`" + s.id() + "` does not match the file name `" + file.getFileName() + "`; name the file "
                                + s.id() + ".yaml");
            }
            if (s.title() == null || s.title().isBlank()) {
                error("title", "required");
            }
            Optional<ChainDefinition> chain = Optional.empty();
            Path playbook = null;
            if (s.steps() != null) {
                chain = Optional.ofNullable(chain(s));
            } else {
                playbook = insideCatalog("playbook", s.playbook(), true);
            }
            if (playbook != null && root.relativize(playbook).startsWith("includes")) {
                error(
                        "playbook",
                        "`" + shown(s.playbook()) + "` is an include file (workflows/includes/ holds task "
                                + "files to include, not playbooks to run); point to a playbook in playbooks/");
            }
            Optional<Path> inventory = s.inventory() == null
                    ? Optional.empty()
                    : Optional.ofNullable(insideCatalog("inventory", s.inventory(), false));
            List<ParameterDefinition> parameters = parameters(s.parameters());
            List<MatrixEntry> permissions = permissions(s.permissions());
            Visibility visibility = Visibility.PUBLIC;
            if (s.visibility() != null) {
                switch (s.visibility()) {
                    case "public" -> visibility = Visibility.PUBLIC;
                    case "restricted" -> visibility = Visibility.RESTRICTED;
                    default -> error("visibility", "`" + s.visibility() + "` must be public or restricted");
                }
            }
            int limit = 1;
            ConcurrencyPolicy policy = ConcurrencyPolicy.QUEUE;
            if (s.concurrency() != null) {
                if (s.concurrency().limit() != null) {
                    limit = s.concurrency().limit();
                    if (limit < 1) {
                        error("concurrency.limit", "must be at least 1");
                    }
                }
                if (s.concurrency().policy() != null) {
                    policy = parse("concurrency.policy", s.concurrency().policy(), ConcurrencyPolicy::parse, policy);
                }
            }
            Optional<Duration> timeout = s.timeout() == null
                    ? Optional.empty()
                    : Optional.ofNullable(parse("timeout", s.timeout(), Durations::parse, null));
            Optional<WorkflowDefinition.Schedule> schedule = Optional.ofNullable(schedule(s.schedule()));
            List<WorkflowDefinition.Trigger> triggers = triggers(s.triggers());
            if (!triggers.isEmpty()) {
                // a message brings no parameters: a triggered run has the defaults and nothing else
                for (ParameterDefinition p : parameters) {
                    if (p.required() && p.defaultValue() == null) {
                        error(
                                "triggers",
                                "parameter `" + p.name() + "` is required and has no default, but a run"
                                        + " started by a message has only the defaults; give it a default or required: false");
                    }
                }
            }
            AllowedOptions options = options(s.options());
            List<String> vault = vault(s.vault());
            Optional<ApprovalRule> approval = approval("approval", s.approval());
            List<String> locks = locks(s.locks());
            if (s.steps() != null && !locks.isEmpty()) {
                // the chain run is running while its steps run: a lock it held would hold them back
                error(
                        "locks",
                        "a chain cannot hold locks (it is running while its steps run, so its locks would"
                                + " keep out its own steps); put the locks on its steps (`locks:` of a step)"
                                + " or on the workflows they run");
            }
            List<String> outputs = outputs(s.outputs());
            if (!errors.isEmpty()) {
                return null;
            }
            return new WorkflowDefinition(
                    s.id(),
                    s.title(),
                    s.description() == null ? "" : s.description().strip(),
                    playbook,
                    inventory,
                    parameters,
                    permissions,
                    visibility,
                    limit,
                    policy,
                    timeout,
                    schedule,
                    triggers,
                    options,
                    vault,
                    approval,
                    locks,
                    chain,
                    outputs,
                    file);
        }

        private ChainDefinition chain(DefinitionSpec s) {
            if (s.playbook() != null) {
                error("playbook", "a chain has `steps` instead of a playbook; give one or the other");
            }
            return new StepRules(this::error, this::approval).chain(s.steps());
        }

        private List<String> outputs(List<String> names) {
            if (names == null) {
                return List.of();
            }
            List<String> result = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    error(
                            "outputs[" + i + "]",
                            "`" + (name == null ? "" : shown(name))
                                    + "` is not an output name (letters, digits and _, as set_stats keys)");
                } else if (!result.contains(name)) {
                    result.add(name);
                }
            }
            return List.copyOf(result);
        }

        private <T> T parse(String key, String text, Function<String, T> parser, T fallback) {
            try {
                return parser.apply(text);
            } catch (IllegalArgumentException e) {
                error(key, e.getMessage());
                return fallback;
            }
        }

        private Path insideCatalog(String key, String value, boolean mustBeFile) {
            if (value == null || value.isBlank()) {
                if (mustBeFile) {
                    error(key, "required");
                }
                return null;
            }
            String quoted = "`" + shown(value) + "`";
            Path p;
            try {
                p = Path.of(value);
            } catch (InvalidPathException e) {
                error(
                        key,
                        quoted + " is not a valid path: "
                                + (value.indexOf('\0') >= 0 ? "it contains a NUL character" : e.getReason()));
                return null;
            }
            if (p.isAbsolute()) {
                error(key, quoted + " must be relative to the catalog directory");
                return null;
            }
            Path resolved = root.resolve(p).normalize();
            if (!resolved.startsWith(root)) {
                error(key, quoted + " leads outside the catalog directory");
                return null;
            }
            if (!Files.exists(resolved)) {
                error(key, quoted + " does not exist in the catalog directory");
                return null;
            }
            // the real paths of both: a link anywhere on the way, or a catalog that is itself a link, counts as it
            // leads
            try {
                if (!resolved.toRealPath().startsWith(root.toRealPath())) {
                    error(key, quoted + " is a link that leads outside the catalog directory");
                    return null;
                }
            } catch (IOException e) {
                error(key, quoted + " cannot be resolved: " + DefinitionFiles.reason(e));
                return null;
            }
            if (mustBeFile && !Files.isRegularFile(resolved)) {
                error(key, quoted + " is not a file");
                return null;
            }
            return resolved;
        }

        private List<ParameterDefinition> parameters(List<DefinitionSpec.ParameterSpec> specs) {
            List<ParameterDefinition> result = new ArrayList<>();
            if (specs == null) {
                return result;
            }
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < specs.size(); i++) {
                if (specs.get(i) == null) {
                    error("parameters[" + i + "]", "must be a mapping such as {name: release, type: string}");
                    continue;
                }
                ParameterDefinition p = ParameterRules.define(specs.get(i), "parameters[" + i + "]", this::error);
                if (p != null && !seen.add(p.name())) {
                    error("parameters[" + i + "].name", "`" + p.name() + "` is declared twice");
                } else if (p != null) {
                    result.add(p);
                }
            }
            return List.copyOf(result);
        }

        private List<MatrixEntry> permissions(List<DefinitionSpec.PermissionSpec> specs) {
            List<MatrixEntry> result = new ArrayList<>();
            if (specs == null) {
                return result;
            }
            for (int i = 0; i < specs.size(); i++) {
                DefinitionSpec.PermissionSpec s = specs.get(i);
                if (s == null) {
                    error("permissions[" + i + "]", "must be a mapping such as {group: releng, allow: [run]}");
                    continue;
                }
                if (s.allow() != null && s.allow().stream().anyMatch(java.util.Objects::isNull)) {
                    error("permissions[" + i + "]", "`allow` has an empty entry");
                    continue;
                }
                try {
                    result.add(MatrixEntry.fromYaml(s.principal(), s.group(), s.user(), s.allow()));
                } catch (IllegalArgumentException e) {
                    error("permissions[" + i + "]", e.getMessage());
                }
            }
            return List.copyOf(result);
        }

        private AllowedOptions options(DefinitionSpec.OptionsSpec s) {
            if (s == null) {
                return AllowedOptions.NONE;
            }
            boolean anyTag = false;
            List<String> tags = new ArrayList<>();
            JsonNode t = s.tags();
            if (t != null && !t.isNull()) {
                if (t.isBoolean()) {
                    anyTag = t.booleanValue();
                } else if (t.isArray()) {
                    for (JsonNode tag : t) {
                        if (!tag.isTextual()
                                || !LaunchOptionRules.TAG.matcher(tag.asText()).matches()) {
                            error(
                                    "options.tags",
                                    "`" + shown(tag.asText()) + "` is not a tag name (letters, digits, . _ -)");
                        } else if (!tags.contains(tag.asText())) {
                            tags.add(tag.asText());
                        }
                    }
                } else {
                    error("options.tags", "must be true (any tag) or a list of tags such as [compose, sync]");
                }
            }
            int verbosity = s.verbosity() == null ? 0 : s.verbosity();
            if (verbosity < 0 || verbosity > AllowedOptions.MAX_VERBOSITY) {
                error(
                        "options.verbosity",
                        "must be from 0 to " + AllowedOptions.MAX_VERBOSITY + " (the most -v a run may ask for)");
                verbosity = 0;
            }
            return new AllowedOptions(
                    Boolean.TRUE.equals(s.check()),
                    Boolean.TRUE.equals(s.diff()),
                    Boolean.TRUE.equals(s.limit()),
                    anyTag,
                    tags,
                    verbosity);
        }

        private List<String> vault(List<String> ids) {
            if (ids == null) {
                return List.of();
            }
            List<String> result = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                if (id == null || !id.matches(VAULT_ID)) {
                    error(
                            "vault[" + i + "]",
                            "`" + (id == null ? "" : shown(id)) + "` is not a vault id (letters, digits, . _ -)");
                } else if (!vaultIds.contains(id)) {
                    error(
                            "vault[" + i + "]",
                            "vault id `" + id + "` has no password file in the engine's configuration"
                                    + " (ansible.vaultPasswordFiles"
                                    + (vaultIds.isEmpty()
                                            ? " is empty"
                                            : " has " + String.join(", ", new java.util.TreeSet<>(vaultIds)))
                                    + ")");
                } else if (result.contains(id)) {
                    error("vault[" + i + "]", "`" + id + "` is named twice");
                } else {
                    result.add(id);
                }
            }
            return List.copyOf(result);
        }

        /** {@code key} is where the rule sits ({@code approval}, or a chain step's). */
        Optional<ApprovalRule> approval(String key, DefinitionSpec.ApprovalSpec s) {
            if (s == null) {
                return Optional.empty();
            }
            int count = 1;
            if (s.count() != null) {
                count = s.count();
                if (count < 1) {
                    error(key + ".count", "must be at least 1 (leave approval out for runs that need none)");
                }
            }
            Duration timeout = ApprovalRule.DEFAULT_TIMEOUT;
            if (s.timeout() != null) {
                timeout = parse(key + ".timeout", s.timeout(), Durations::parse, timeout);
                if (timeout.isZero() || timeout.isNegative()) {
                    error(key + ".timeout", "must be longer than 0s");
                }
            }
            List<String> causes = new ArrayList<>();
            List<String> principals = new ArrayList<>();
            for (String u : s.unless() == null ? List.<String>of() : s.unless()) {
                if (u == null || u.isBlank()) {
                    error(key + ".unless", "an entry is empty");
                } else if (ApprovalRule.CAUSES.contains(u)) {
                    causes.add(u);
                } else if (u.matches("(user|group):[A-Za-z0-9._-]+")) {
                    principals.add(u);
                } else {
                    error(
                            key + ".unless",
                            "`" + shown(u) + "` must be a cause ("
                                    + String.join(", ", new java.util.TreeSet<>(ApprovalRule.CAUSES))
                                    + ") or a principal (user:NAME, group:NAME)");
                }
            }
            return Optional.of(new ApprovalRule(count, timeout, causes, principals));
        }

        private List<String> locks(List<String> names) {
            if (names == null) {
                return List.of();
            }
            List<String> result = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (!LockNames.isValid(name)) {
                    error("locks[" + i + "]", LockNames.problem(name == null ? "" : shown(name)));
                } else if (result.contains(name)) {
                    error("locks[" + i + "]", "`" + name + "` is named twice");
                } else {
                    result.add(name);
                }
            }
            return List.copyOf(result);
        }

        private WorkflowDefinition.Schedule schedule(DefinitionSpec.ScheduleSpec s) {
            if (s == null) {
                return null;
            }
            if (s.cron() == null || s.cron().isBlank()) {
                error("schedule.cron", "required, e.g. \"0 3 * * *\"");
                return null;
            }
            String zone = s.timezone() == null ? "UTC" : s.timezone();
            parse(
                    "schedule.timezone",
                    zone,
                    z -> {
                        try {
                            return java.time.ZoneId.of(z);
                        } catch (java.time.DateTimeException e) {
                            throw new IllegalArgumentException(
                                    "`" + z + "` is not a time zone (e.g. UTC, Europe/Prague)");
                        }
                    },
                    null);
            parse("schedule.cron", s.cron(), c -> CronText.schedule(c, zone), null);
            String missed = s.missed() == null ? "skip" : s.missed();
            if (!missed.equals("skip") && !missed.equals("run-once")) {
                error("schedule.missed", "`" + missed + "` must be skip or run-once");
            }
            return new WorkflowDefinition.Schedule(s.cron().trim(), zone, missed);
        }

        private List<WorkflowDefinition.Trigger> triggers(List<DefinitionSpec.TriggerSpec> specs) {
            List<WorkflowDefinition.Trigger> result = new ArrayList<>();
            if (specs == null) {
                return result;
            }
            for (int i = 0; i < specs.size(); i++) {
                DefinitionSpec.TriggerSpec s = specs.get(i);
                String key = "triggers[" + i + "]";
                if (s == null) {
                    error(key, "must be a mapping such as {bus: fedmsg, topic: org.example.topic}");
                    continue;
                }
                if (!"fedmsg".equals(s.bus()) && !"amqp".equals(s.bus())) {
                    error(key + ".bus", "`" + s.bus() + "` must be fedmsg or amqp");
                }
                if (s.topic() == null || s.topic().isBlank()) {
                    error(key + ".topic", "required");
                } else if (!s.topic().matches("[^.\\s]+(\\.[^.\\s]+)*")) {
                    error(key + ".topic", "`" + s.topic() + "` must be dot-separated words (`*` one word, `#` any)");
                }
                if (s.filter() != null) {
                    try {
                        MessageFilter.parse(s.filter());
                    } catch (IllegalArgumentException e) {
                        error(key + ".filter", "`" + s.filter() + "`: " + e.getMessage());
                    }
                }
                boolean allowSelf = s.allowSelf() != null && s.allowSelf();
                if (s.topic() != null && announcements.stream().anyMatch(new TopicPattern(s.topic())::overlaps)) {
                    refuseSelfTrigger(key, s, allowSelf);
                }
                Duration throttle = s.throttle() == null
                        ? Duration.ZERO
                        : parse(key + ".throttle", s.throttle(), Durations::parse, Duration.ZERO);
                result.add(new WorkflowDefinition.Trigger(s.bus(), s.topic(), s.filter(), throttle, allowSelf));
            }
            return List.copyOf(result);
        }

        /**
         * A trigger that hears the engine's own announcements would start a run for every run it
         * announces, its own included: only on purpose ({@code allowSelf}), and only narrowed by a
         * filter. (The chain of runs so caused is bounded anyway; see CauseChain.)
         */
        private void refuseSelfTrigger(String key, DefinitionSpec.TriggerSpec s, boolean allowSelf) {
            if (!allowSelf) {
                error(
                        key + ".topic",
                        "`" + s.topic() + "` matches the engine's own releng.workflow.* announcements;"
                                + " set allowSelf: true and a filter to accept them");
            } else if (s.filter() == null || s.filter().isBlank()) {
                error(
                        key + ".filter",
                        "required with allowSelf: true, so that `" + s.topic()
                                + "` does not start a run for every run announced (e.g. \"$.msg.workflow == 'compose-nightly'\")");
            }
        }
    }
}
