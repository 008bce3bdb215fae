package org.fedoraproject.releng.workflow.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedoraproject.releng.workflow.access.AuthenticationRequiredException;
import org.fedoraproject.releng.workflow.access.Principal;
import org.fedoraproject.releng.workflow.auth.ApiToken;
import org.fedoraproject.releng.workflow.auth.ApiTokens;

/**
 * Personal API tokens, managed by their owner while logged in to the web interface: the page
 * {@code /user/tokens} and the API {@code GET/POST /api/tokens}, {@code DELETE /api/tokens/{id}}
 * (or {@code POST /api/tokens/{id}/revoke}). A token cannot mint more tokens, and the break-glass
 * administrator has none: tokens belong to people the provider knows.
 */
final class TokenRoutes {

    static final int DEFAULT_DAYS = 90;

    private final ApiTokens tokens;
    private final Pages pages;
    private final ObjectMapper json;

    TokenRoutes(ApiTokens tokens, Pages pages, ObjectMapper json) {
        this.tokens = tokens;
        this.pages = pages;
        this.json = json;
    }

    void install(Javalin app) {
        app.get("/user/tokens", ctx -> page(ctx, null, null));
        app.post("/user/tokens", this::createFromForm);
        app.post("/user/tokens/{tokenId}/revoke", ctx -> {
            tokens.revoke(owner(ctx), tokenId(ctx));
            ctx.redirect("/user/tokens", HttpStatus.SEE_OTHER);
        });
        app.get(
                "/api/tokens",
                ctx -> ctx.json(Map.of(
                        "tokens",
                        tokens.list(owner(ctx)).stream().map(TokenRoutes::view).toList())));
        app.post("/api/tokens", this::createFromApi);
        app.delete("/api/tokens/{tokenId}", this::revokeFromApi);
        app.post("/api/tokens/{tokenId}/revoke", this::revokeFromApi);
    }

    /** Only a person logged in through the provider may manage tokens, for themselves. */
    private static String owner(Context ctx) {
        Principal principal = Authentication.principal(ctx);
        if (principal.isAnonymous()) {
            throw new AuthenticationRequiredException("log in to manage your API tokens");
        }
        boolean person = principal.kind() == Principal.Kind.USER
                && Authentication.session(ctx).map(s -> !s.isLocal()).orElse(false);
        if (!person) {
            throw new HttpErrors.Forbidden("API tokens are managed by people logged in to the web interface"
                    + " through the login provider, not with a token or the break-glass login");
        }
        return principal.name();
    }

    private void page(Context ctx, ApiTokens.Created created, String error) {
        if (Authentication.principal(ctx).isAnonymous()) {
            ctx.redirect("/login?next=/user/tokens");
            return;
        }
        Map<String, Object> model = pages.model(ctx);
        model.put("tokens", tokens.list(owner(ctx)));
        model.put("newToken", created == null ? null : created.value());
        model.put("newTokenName", created == null ? null : created.token().name());
        model.put("error", error);
        pages.render(ctx, "tokens.jte", model);
    }

    private void createFromForm(Context ctx) {
        String owner = owner(ctx);
        try {
            int days = ApiRoutes.parse(() -> Integer.parseInt(
                    ctx.formParamAsClass("expiresInDays", String.class).getOrDefault(Integer.toString(DEFAULT_DAYS))));
            page(ctx, tokens.create(owner, ctx.formParam("name"), Duration.ofDays(days)), null);
        } catch (IllegalArgumentException | HttpErrors.BadRequest e) {
            ctx.status(HttpStatus.BAD_REQUEST);
            page(ctx, null, e.getMessage());
        }
    }

    private void createFromApi(Context ctx) {
        String owner = owner(ctx);
        JsonNode body = RequestJson.object(json, ctx.body(), "{\"name\": \"jenkins\", \"expiresInDays\": 90}");
        int days = expiresInDays(body.get("expiresInDays"));
        ApiTokens.Created created =
                ApiRoutes.parse(() -> tokens.create(owner, body.path("name").asText(null), Duration.ofDays(days)));
        Map<String, Object> view = view(created.token());
        view.put("token", created.value());
        ctx.status(HttpStatus.CREATED).json(view);
    }

    /** Left out or null is the default; anything but a whole number of days in range is refused, not defaulted. */
    static int expiresInDays(JsonNode given) {
        if (given == null || given.isNull()) {
            return DEFAULT_DAYS;
        }
        long max = ApiTokens.MAX_VALIDITY.toDays();
        if (!given.isIntegralNumber() || !given.canConvertToInt() || given.intValue() < 1 || given.intValue() > max) {
            throw HttpErrors.BadRequest.field("expiresInDays", "must be a whole number of days from 1 to " + max);
        }
        return given.intValue();
    }

    private void revokeFromApi(Context ctx) {
        tokens.revoke(owner(ctx), tokenId(ctx));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private static long tokenId(Context ctx) {
        return ApiRoutes.parse(() -> Long.parseLong(ctx.pathParam("tokenId")));
    }

    private static Map<String, Object> view(ApiToken t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("createdAt", Views.time(t.createdAt()));
        m.put("expiresAt", Views.time(t.expiresAt()));
        m.put("lastUsedAt", Views.time(t.lastUsedAt()));
        m.put("revoked", t.revokedAt() != null);
        return m;
    }
}
