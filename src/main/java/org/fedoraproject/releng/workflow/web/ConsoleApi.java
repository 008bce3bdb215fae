package org.fedoraproject.releng.workflow.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedoraproject.releng.workflow.log.LogSearch;
import org.fedoraproject.releng.workflow.log.LogStore;
import org.fedoraproject.releng.workflow.log.LogWindow;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunService;

/**
 * Lines and search of a whole log: {@code GET /api/runs/{id}/log/lines} and
 * {@code GET /api/runs/{id}/log/search}. Both read what is written so far and say whether the
 * log may still grow; both obey the same read rule as the log itself.
 */
final class ConsoleApi {

    static final int MAX_COUNT = 1000;
    static final int DEFAULT_COUNT = 100;

    private final RunService runs;
    private final LogStore logs;
    private final Reading reading;

    ConsoleApi(RunService runs, LogStore logs, Reading reading) {
        this.runs = runs;
        this.logs = logs;
        this.reading = reading;
    }

    void install(Javalin app) {
        app.get("/api/runs/{id}/log/lines", this::lines);
        app.get("/api/runs/{id}/log/search", this::search);
    }

    private void lines(Context ctx) throws IOException {
        Run run = reading.run(Authentication.principal(ctx), ApiRoutes.runId(ctx));
        long from = number(ctx, "from", 1);
        if (from < 1) {
            throw HttpErrors.BadRequest.field("from", "lines are counted from 1");
        }
        long count = number(ctx, "count", DEFAULT_COUNT);
        if (count < 0) {
            throw HttpErrors.BadRequest.field("count", "must be 0 or more");
        }
        // read the status first: if it is final now, the log is complete
        boolean growing = !runs.find(run.id()).status().isFinal();
        LogWindow window = logs.lines(run.id(), from, (int) Math.min(count, MAX_COUNT), flag(ctx, "times"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", window.from());
        body.put("lines", window.lines());
        if (window.times() != null) {
            body.put("times", window.times());
        }
        body.put("total", window.total());
        body.put("next", window.next());
        body.put("growing", growing);
        ctx.json(body);
    }

    private void search(Context ctx) throws IOException {
        Run run = reading.run(Authentication.principal(ctx), ApiRoutes.runId(ctx));
        LogSearch.Query query = query(ctx);
        boolean growing = !runs.find(run.id()).status().isFinal();
        LogSearch.Result result = logs.search(run.id(), query);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("matches", result.matches());
        body.put("next", result.next());
        // a running run's log is searched as far as it was written when the search began
        body.put("growing", growing);
        body.put("timedOut", result.timedOut());
        ctx.json(body);
    }

    static LogSearch.Query query(Context ctx) {
        long limit = number(ctx, "limit", LogSearch.DEFAULT_LIMIT);
        return new LogSearch.Query(
                ctx.queryParam("q"), flag(ctx, "regex"), flag(ctx, "matchCase"), number(ctx, "after", 0), (int)
                        Math.max(Integer.MIN_VALUE, Math.min(limit, LogSearch.MAX_LIMIT)));
    }

    static long number(Context ctx, String name, long otherwise) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw HttpErrors.BadRequest.field(name, "not a number: " + value);
        }
    }

    /** HTML check boxes send {@code on}; scripts send {@code true}. */
    static boolean flag(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty() || value.equals("false") || value.equals("0")) {
            return false;
        }
        if (value.equals("true") || value.equals("on") || value.equals("1")) {
            return true;
        }
        throw HttpErrors.BadRequest.field(name, "must be true or false");
    }
}
