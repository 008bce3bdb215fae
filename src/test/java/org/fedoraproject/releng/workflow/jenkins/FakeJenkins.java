package org.fedoraproject.releng.workflow.jenkins;

import groovy.lang.Closure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The Pipeline steps that jenkins/vars/relengWorkflow.groovy uses, behaving as Jenkins' do where the
 * step could notice: {@code httpRequest} does real HTTP and fails on codes outside
 * {@code validResponseCodes} (default 100:399), {@code error} throws, {@code withCredentials}
 * binds the secret as an environment variable only inside its body and masks it in the console,
 * {@code sleep} really waits and throws when the build is aborted. Unknown step arguments are
 * rejected, which is stricter than Jenkins (it only warns) so that a typo fails the test.
 */
public final class FakeJenkins {

    private static final Set<String> HTTP_REQUEST_ARGUMENTS = Set.of(
            "url",
            "httpMode",
            "requestBody",
            "contentType",
            "acceptType",
            "customHeaders",
            "validResponseCodes",
            "quiet",
            "consoleLogResponseBody",
            "timeout",
            "ignoreSslErrors");
    private static final Map<String, String> MIME_TYPES = Map.of(
            "APPLICATION_JSON",
            "application/json",
            "APPLICATION_JSON_UTF8",
            "application/json; charset=UTF-8",
            "TEXT_PLAIN",
            "text/plain");

    private final StringBuilder console = new StringBuilder();
    private final Map<String, Object> env = new HashMap<>();
    private final Map<String, String> credentials = new HashMap<>();
    private final List<String> masked = new ArrayList<>();
    private final List<String> requests = new ArrayList<>();
    private final List<String> bodies = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile BooleanSupplier abort = () -> false;

    public FakeJenkins credential(String id, String secret) {
        credentials.put(id, secret);
        return this;
    }

    public FakeJenkins env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** From now on, the next {@code sleep} throws as when someone presses the build's abort button. */
    public void abortWhen(BooleanSupplier condition) {
        this.abort = condition;
    }

    public synchronized String console() {
        return console.toString();
    }

    /** "METHOD url" of every httpRequest, in order. */
    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    /** The request bodies sent, in order (requests without one are left out). */
    public synchronized List<String> bodies() {
        return List.copyOf(bodies);
    }

    Map<String, Object> envMap() {
        return env;
    }

    synchronized void echo(Object message) {
        String text = String.valueOf(message);
        for (String secret : masked) {
            text = text.replace(secret, "****");
        }
        console.append(text).append('\n');
    }

    void error(Object message) {
        throw new AbortException(String.valueOf(message));
    }

    Map<String, Object> string(Map<String, Object> args) {
        Map<String, Object> binding = new LinkedHashMap<>(args);
        binding.put("$class", "StringBinding");
        return binding;
    }

    Object withCredentials(List<Map<String, Object>> bindings, Closure<?> body) {
        Map<String, Object> previous = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (Map<String, Object> b : bindings) {
            String id = String.valueOf(b.get("credentialsId"));
            String secret = credentials.get(id);
            if (secret == null) {
                throw new AbortException("Could not find credentials entry with ID '" + id + "'");
            }
            String variable = String.valueOf(b.get("variable"));
            previous.put(variable, env.get(variable));
            names.add(variable);
            env.put(variable, secret);
            synchronized (this) {
                masked.add(secret);
            }
        }
        try {
            return body.call();
        } finally {
            for (String name : names) {
                if (previous.get(name) == null) {
                    env.remove(name);
                } else {
                    env.put(name, previous.get(name));
                }
            }
        }
    }

    void sleep(Map<String, Object> args) throws InterruptedException {
        if (!(args.get("time") instanceof Integer time)) {
            // SleepStep's constructor takes an int
            throw new IllegalArgumentException("sleep: `time` must be an int, not " + args.get("time"));
        }
        TimeUnit unit = TimeUnit.valueOf(String.valueOf(args.getOrDefault("unit", "SECONDS")));
        if (abort.getAsBoolean()) {
            throw new InterruptedException("aborted by the test");
        }
        echo("Sleeping for " + time + " " + unit.name().toLowerCase(java.util.Locale.ROOT));
        // the real step waits too: it is what paces the polling under test
        unit.sleep(time);
    }

    HttpResponseContent httpRequest(Map<String, Object> args) throws IOException, InterruptedException {
        for (String key : args.keySet()) {
            if (!HTTP_REQUEST_ARGUMENTS.contains(key)) {
                throw new IllegalArgumentException("httpRequest does not take the argument `" + key + "`");
            }
        }
        String url = String.valueOf(args.get("url"));
        String method = String.valueOf(args.getOrDefault("httpMode", "GET"));
        boolean quiet = Boolean.TRUE.equals(args.get("quiet"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        Object body = args.get("requestBody");
        b.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (args.get("contentType") != null) {
            b.header("Content-Type", MIME_TYPES.get(String.valueOf(args.get("contentType"))));
        }
        if (args.get("acceptType") != null) {
            b.header("Accept", MIME_TYPES.get(String.valueOf(args.get("acceptType"))));
        }
        if (args.get("timeout") != null && ((Number) args.get("timeout")).intValue() > 0) {
            b.timeout(Duration.ofSeconds(((Number) args.get("timeout")).intValue()));
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> headers = (List<Map<String, Object>>) args.getOrDefault("customHeaders", List.of());
        for (Map<String, Object> h : headers) {
            b.header(String.valueOf(h.get("name")), String.valueOf(h.get("value")));
        }
        if (!quiet) {
            echo("HttpMethod: " + method);
            echo("URL: " + url);
        }
        synchronized (this) {
            requests.add(method + " " + url);
            if (body != null) {
                bodies.add(body.toString());
            }
        }
        HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (!quiet) {
            echo("Response Code: HTTP/1.1 " + response.statusCode());
        }
        if (Boolean.TRUE.equals(args.get("consoleLogResponseBody"))) {
            echo("Response: \n" + response.body());
        }
        String valid = String.valueOf(args.getOrDefault("validResponseCodes", "100:399"));
        if (!accepted(valid, response.statusCode())) {
            throw new AbortException(
                    "Fail: Status code " + response.statusCode() + " is not in the accepted range: " + valid);
        }
        Map<String, List<String>> responseHeaders =
                new TreeMap<>(response.headers().map());
        return new HttpResponseContent(response.statusCode(), response.body(), responseHeaders);
    }

    /** The plugin's syntax: comma-separated codes or from:to ranges. */
    static boolean accepted(String ranges, int status) {
        for (String part : ranges.split(",")) {
            String[] bounds = part.strip().split(":");
            int from = Integer.parseInt(bounds[0].strip());
            int to = bounds.length > 1 ? Integer.parseInt(bounds[1].strip()) : from;
            if (status >= from && status <= to) {
                return true;
            }
        }
        return false;
    }
}
