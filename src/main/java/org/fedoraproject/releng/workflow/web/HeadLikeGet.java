package org.fedoraproject.releng.workflow.web;

import io.javalin.Javalin;
import io.javalin.event.HandlerMetaInfo;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseHandler;
import io.javalin.security.RouteRole;
import java.util.function.Consumer;

/**
 * HEAD answered by the GET route's own handler. Left alone, Javalin answers HEAD of any path that a
 * GET route's pattern matches with a blind {@code 200}, so {@code HEAD /job/nope} said the page
 * exists; running the handler gives HEAD the status and headers GET would have, and Jetty drops
 * the body. The live log stream is left out: its handler would hold a HEAD open for as long as the
 * run lasts, and its access check runs before any handler anyway.
 */
final class HeadLikeGet implements Consumer<HandlerMetaInfo> {

    private Javalin app;

    /** Routes added from now on get their HEAD twin; call before adding any. */
    void attach(Javalin app) {
        this.app = app;
    }

    @Override
    public void accept(HandlerMetaInfo route) {
        if (route.getHttpMethod() == HandlerType.GET && !(route.getHandler() instanceof SseHandler)) {
            app.head(route.getPath(), route.getHandler(), route.getRoles().toArray(RouteRole[]::new));
        }
    }
}
