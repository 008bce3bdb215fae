package org.fedoraproject.releng.workflow.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;
import org.fedoraproject.releng.workflow.log.LogSearch;
import org.fedoraproject.releng.workflow.log.LogStore;
import org.fedoraproject.releng.workflow.log.LogWindow;
import org.fedoraproject.releng.workflow.log.SearchRejectedException;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunService;

/**
 * {@code /job/<id>/<n>/console}: the whole log as numbered lines with {@code #L<n>} anchors, a
 * page at a time, opening at the end or at {@code ?line=N}, and search with {@code ?q=}. Plain
 * links and a GET form do everything; {@code static/console.js} only loads more lines on scroll.
 */
final class ConsolePage {

    /** Lines on one page. */
    static final int PAGE = 500;

    /** Lines shown above the one asked for, so it is seen in context. */
    static final int CONTEXT = 20;

    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final RunService runs;
    private final LogStore logs;
    private final Reading reading;
    private final Pages pages;

    ConsolePage(RunService runs, LogStore logs, Reading reading, Pages pages) {
        this.runs = runs;
        this.logs = logs;
        this.reading = reading;
        this.pages = pages;
    }

    void install(Javalin app) {
        app.get("/job/{id}/{number}/console", this::console);
    }

    private void console(Context ctx) throws IOException {
        Run run = reading.run(
                Authentication.principal(ctx),
                ctx.pathParam("id"),
                ApiRoutes.parse(() -> Long.parseLong(ctx.pathParam("number"))));
        boolean times = ConsoleApi.flag(ctx, "times");
        boolean growing = !runs.find(run.id()).status().isFinal();
        Map<String, Object> model = pages.model(ctx);
        model.put("run", run);
        model.put(
                "title",
                reading.definitionOf(run).map(WorkflowDefinition::title).orElse(run.workflowId()));
        model.put("growing", growing);
        model.put("times", times);
        String q = ctx.queryParam("q");
        if (q != null && !q.isEmpty()) {
            model.put("search", search(ctx, run, q, times));
            model.put("window", null);
            if (((ConsoleView.Search) model.get("search")).error() != null) {
                ctx.status(HttpStatus.BAD_REQUEST);
            }
        } else {
            model.put("search", null);
            model.put("window", window(ctx, run, times));
        }
        pages.render(ctx, "console.jte", model);
    }

    private ConsoleView.Window window(Context ctx, Run run, boolean times) throws IOException {
        long total = logs.lines(run.id(), 1, 0, false).total();
        long asked = ConsoleApi.number(ctx, "line", -1);
        long start = ConsoleApi.number(ctx, "from", -1);
        long lastPage = Math.max(1, total - PAGE + 1);
        long from;
        if (asked >= 1 && asked <= total) {
            from = Math.max(1, Math.min(asked - CONTEXT, lastPage));
        } else if (asked < 1 && start >= 1 && start <= total) {
            // paging: exactly this page, nothing singled out
            from = Math.min(start, lastPage);
        } else {
            // no line, or one beyond the end: the last page, as a live console ends
            from = lastPage;
        }
        LogWindow window = logs.lines(run.id(), from, PAGE, times);
        List<ConsoleView.Line> lines = new ArrayList<>(window.lines().size());
        for (int i = 0; i < window.lines().size(); i++) {
            long number = from + i;
            Long second = window.times() == null ? null : window.times().get(i);
            Instant at = second == null ? null : Instant.ofEpochSecond(second);
            lines.add(new ConsoleView.Line(
                    number,
                    window.lines().get(i),
                    at == null ? "" : CLOCK.format(at),
                    at == null ? "" : Format.time(at),
                    number == asked));
        }
        long to = from + lines.size() - 1;
        String suffix = times ? "&times=true" : "";
        return new ConsoleView.Window(
                from,
                to,
                window.total(),
                lines,
                from > 1 ? "?from=1" + suffix : null,
                from > 1 ? "?from=" + Math.max(1, from - PAGE) + suffix : null,
                to < window.total() ? "?from=" + (to + 1) + suffix : null,
                to < window.total() ? (times ? "?times=true" : "?") : null);
    }

    private ConsoleView.Search search(Context ctx, Run run, String q, boolean times) throws IOException {
        boolean regex = ConsoleApi.flag(ctx, "regex");
        boolean matchCase = ConsoleApi.flag(ctx, "matchCase");
        try {
            LogSearch.Result result = logs.search(run.id(), ConsoleApi.query(ctx));
            String more = result.next() == null
                    ? null
                    : "?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                            + (regex ? "&regex=true" : "")
                            + (matchCase ? "&matchCase=true" : "")
                            + (times ? "&times=true" : "")
                            + "&after=" + result.next();
            return new ConsoleView.Search(q, regex, matchCase, result.matches(), more, result.timedOut(), null);
        } catch (SearchRejectedException e) {
            return new ConsoleView.Search(q, regex, matchCase, List.of(), null, false, e.getMessage());
        }
    }
}
