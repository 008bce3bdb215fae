package org.fedoraproject.releng.workflow.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedoraproject.releng.workflow.events.EventQuery;
import org.fedoraproject.releng.workflow.events.RunEvent;
import org.fedoraproject.releng.workflow.events.RunSummary;
import org.fedoraproject.releng.workflow.run.Run;

/** {@code GET /api/runs/{id}/events} (paged, filtered) and {@code GET /api/runs/{id}/hosts} (the recap). */
final class EventRoutes {

    private static final int DEFAULT_LIMIT = 100;

    private final Reading reading;
    private final RunResults results;

    EventRoutes(Reading reading, RunResults results) {
        this.reading = reading;
        this.results = results;
    }

    void install(Javalin app) {
        app.get("/api/runs/{id}/events", this::events);
        app.get("/api/runs/{id}/hosts", this::hosts);
    }

    private void events(Context ctx) {
        Run run = reading.run(Authentication.principal(ctx), ApiRoutes.runId(ctx));
        EventQuery query = query(ctx, run.id());
        List<RunEvent> page = results.store().page(query);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("events", page.stream().map(RunResults::event).toList());
        body.put(
                "next",
                page.size() < query.limit()
                        ? null
                        : next(ctx, run.id(), page.get(page.size() - 1).seq()));
        ctx.json(body);
    }

    private static EventQuery query(Context ctx, long runId) {
        int after = number(ctx, "after", 0);
        int limit = number(ctx, "limit", DEFAULT_LIMIT);
        String type = blankToNull(ctx.queryParam("type"));
        String host = blankToNull(ctx.queryParam("host"));
        Boolean failed = null;
        String givenFailed = blankToNull(ctx.queryParam("failed"));
        if (givenFailed != null) {
            if (!givenFailed.equals("true") && !givenFailed.equals("false")) {
                throw HttpErrors.BadRequest.field("failed", "must be true or false");
            }
            failed = Boolean.valueOf(givenFailed);
        }
        if (after < 0) {
            throw HttpErrors.BadRequest.field("after", "must be 0 or more");
        }
        if (limit < 1 || limit > EventQuery.MAX_LIMIT) {
            throw HttpErrors.BadRequest.field("limit", "must be between 1 and " + EventQuery.MAX_LIMIT);
        }
        if (type != null && !RunEvent.TYPES.contains(type)) {
            throw HttpErrors.BadRequest.field(
                    "type",
                    "must be one of "
                            + String.join(", ", RunEvent.TYPES.stream().sorted().toList()));
        }
        return new EventQuery(runId, after, limit, type, host, failed);
    }

    private static int number(Context ctx, String name, int otherwise) {
        String given = blankToNull(ctx.queryParam(name));
        if (given == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(given);
        } catch (NumberFormatException e) {
            throw HttpErrors.BadRequest.field(name, "not a number: " + given);
        }
    }

    private static String next(Context ctx, long runId, int lastSeq) {
        StringBuilder sb = new StringBuilder("/api/runs/" + runId + "/events?after=").append(lastSeq);
        for (String key : List.of("limit", "type", "host", "failed")) {
            String value = ctx.queryParam(key);
            if (value != null) {
                sb.append('&').append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return sb.toString();
    }

    private void hosts(Context ctx) {
        Run run = reading.run(Authentication.principal(ctx), ApiRoutes.runId(ctx));
        ctx.json(results.store()
                .summary(run.id())
                .map(RunSummary::hosts)
                .map(RunResults::hosts)
                .orElse(List.of()));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
