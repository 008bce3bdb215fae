package org.fedoraproject.releng.workflow.auth.oidc;

import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback token endpoint that forwards to the real provider's, except that it refuses a code's
 * second use with {@code invalid_grant}, as RFC 6749 4.1.2 asks of providers and mock-oauth2-server
 * 2.1.10 does not do.
 */
final class StrictTokenEndpoint implements AutoCloseable {

    private final URI upstream;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Set<String> usedCodes = ConcurrentHashMap.newKeySet();

    StrictTokenEndpoint(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        List<String> code = URLUtils.parseParameters(body).get("code");
        if (code == null || !usedCodes.add(code.get(0))) {
            respond(
                    exchange,
                    400,
                    "application/json",
                    "{\"error\":\"invalid_grant\",\"error_description\":\"code already used\"}");
            return;
        }
        HttpRequest.Builder forward = HttpRequest.newBuilder(upstream).POST(HttpRequest.BodyPublishers.ofString(body));
        for (String header : List.of("Authorization", "Content-Type")) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                forward.header(header, value);
            }
        }
        try {
            HttpResponse<String> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofString());
            respond(
                    exchange,
                    answer.statusCode(),
                    answer.headers().firstValue("Content-Type").orElse("application/json"),
                    answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 503, "text/plain", "interrupted");
        }
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
