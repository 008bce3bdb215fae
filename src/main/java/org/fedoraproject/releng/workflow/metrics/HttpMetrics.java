package org.fedoraproject.releng.workflow.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code releng_http_requests_total} by method, route pattern and status. */
public final class HttpMetrics {

    static final String REQUESTS = "releng_http_requests";

    private final MeterRegistry registry;

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
        // the family exists before the first request, as every other family does
        counter("GET", "/metrics", 200);
    }

    public void answered(String method, String route, int status) {
        counter(method, route, status).increment();
    }

    private Counter counter(String method, String route, int status) {
        return Counter.builder(REQUESTS)
                .tag("method", method)
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .description("HTTP requests answered, by route pattern and status")
                .register(registry);
    }
}
