package org.fedoraproject.releng.workflow.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fedoraproject.releng.workflow.NotFoundException;
import org.fedoraproject.releng.workflow.auth.LocalAdmin;
import org.fedoraproject.releng.workflow.auth.LoginThrottle;
import org.fedoraproject.releng.workflow.auth.Session;
import org.fedoraproject.releng.workflow.auth.Sessions;
import org.fedoraproject.releng.workflow.auth.oidc.BrowserBinding;
import org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException;
import org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason;
import org.fedoraproject.releng.workflow.auth.oidc.LoginStart;
import org.fedoraproject.releng.workflow.auth.oidc.OidcClient;
import org.fedoraproject.releng.workflow.auth.oidc.OidcIdentity;
import org.fedoraproject.releng.workflow.auth.oidc.OidcSetupException;
import org.fedoraproject.releng.workflow.auth.oidc.PendingLogin;
import org.fedoraproject.releng.workflow.auth.oidc.PendingLogins;
import org.fedoraproject.releng.workflow.run.Links;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging in and out: {@code GET /login?next=…} sends the browser to the OIDC provider, {@code GET
 * /login/callback} is where it comes back (the redirect URI to register), {@code POST /logout} ends
 * the session, and {@code /login/local} is the break-glass form when {@code auth.localAdmin} is set.
 *
 * <p>The provider is discovered at the first login rather than at start-up, so the engine (and the
 * break-glass login) still starts while the provider is down. Started logins wait in the database,
 * as sessions do, so the callback may reach any node; a {@link BrowserBinding} cookie makes sure it
 * is the browser that started the login that finishes it.
 */
final class LoginRoutes {

    private static final Logger log = LoggerFactory.getLogger(LoginRoutes.class);

    private final WebServer.Login login;
    private final Authentication authentication;
    private final Pages pages;
    private final Links links;
    private final PendingLogins pending;
    private final LoginThrottle throttle;
    private OidcClient client;

    LoginRoutes(WebServer.Login login, Authentication authentication, Pages pages, Links links) {
        this.login = login;
        this.authentication = authentication;
        this.pages = pages;
        this.links = links;
        this.pending = login.pendingLogins();
        this.throttle = new LoginThrottle(login.clock());
    }

    void install(Javalin app) {
        app.get("/login", this::start);
        app.get("/login/callback", this::callback);
        app.post("/logout", this::logout);
        app.get("/login/local", this::localForm);
        app.post("/login/local", this::localLogin);
    }

    private synchronized Optional<OidcClient> client() {
        if (login.oidc() == null) {
            return Optional.empty();
        }
        if (client == null) {
            client = OidcClient.discover(login.oidc(), login.clock(), login.environment());
        }
        return Optional.of(client);
    }

    private void start(Context ctx) {
        OidcClient oidc;
        try {
            oidc = client().orElse(null);
        } catch (OidcSetupException e) {
            log.warn("login: the OIDC provider is unavailable: {}", e.getMessage());
            pages.error(
                    ctx.status(HttpStatus.SERVICE_UNAVAILABLE),
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "The login provider cannot be reached right now; try again in a few minutes.");
            return;
        }
        if (oidc == null) {
            if (login.localAdmin().isPresent()) {
                ctx.redirect("/login/local?next="
                        + java.net.URLEncoder.encode(
                                PendingLogin.safeReturnPath(ctx.queryParam("next")),
                                java.nio.charset.StandardCharsets.UTF_8));
                return;
            }
            throw new NotFoundException("logging in is not configured on this engine (auth.oidc)");
        }
        BrowserBinding binding = BrowserBinding.fresh();
        LoginStart started = oidc.begin(URI.create(links.loginCallback()), ctx.queryParam("next"), binding.state());
        pending.add(started.pending());
        setBindingCookie(ctx, binding.cookieName(), binding.secret(), PendingLogins.DEFAULT_TTL);
        ctx.redirect(started.authorizationUrl().toString());
    }

    private void callback(Context ctx) {
        Map<String, List<String>> params = ctx.queryParamMap();
        OidcIdentity identity;
        PendingLogin started;
        try {
            OidcClient oidc =
                    client().orElseThrow(() -> new NotFoundException("logging in is not configured on this engine"));
            List<String> states = params.get("state");
            String state = states == null || states.isEmpty() ? null : states.get(0);
            // taken first, so that a replay is told as such and a callback carried elsewhere is spent
            started = pending.take(state);
            if (!BrowserBinding.matches(state, ctx.cookie(BrowserBinding.cookieName(state)))) {
                throw new LoginFailedException(
                        Reason.OTHER_BROWSER,
                        "This login was started in another browser"
                                + " (or this browser did not keep its cookie), so it cannot finish here. Start again from the"
                                + " login link in the browser you want to use.");
            }
            identity = oidc.complete(params, started);
        } catch (LoginFailedException e) {
            log.warn("login failed ({}): {}", e.reason().id(), e.getMessage());
            pages.error(ctx.status(HttpStatus.BAD_REQUEST), HttpStatus.BAD_REQUEST, "Login failed: " + e.getMessage());
            return;
        } catch (OidcSetupException e) {
            log.warn("login: the OIDC provider is unavailable: {}", e.getMessage());
            pages.error(
                    ctx.status(HttpStatus.SERVICE_UNAVAILABLE),
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "The login provider cannot be reached right now; try again in a few minutes.");
            return;
        }
        Set<String> groups = new LinkedHashSet<>(identity.groups());
        if (login.localAdmin().isPresent() && groups.remove(LocalAdmin.GROUP)) {
            // that group means "break-glass admin" here; a provider must not be able to grant it
            log.warn("login: ignoring the provider's group `{}` for {}", LocalAdmin.GROUP, identity.username());
        }
        login.users()
                .recordLogin(
                        identity.username(),
                        identity.fullName(),
                        identity.email(),
                        groups,
                        login.clock().instant());
        Sessions.Created session = login.sessions()
                .create(
                        identity.username(),
                        Session.OIDC,
                        groups,
                        identity.fullName(),
                        identity.email(),
                        identity.idToken());
        authentication.startSession(ctx, session);
        setBindingCookie(ctx, BrowserBinding.cookieName(started.state()), "", Duration.ZERO);
        log.info("login: {} (groups {})", identity.username(), groups);
        ctx.redirect(started.returnTo(), HttpStatus.SEE_OTHER);
    }

    /** Added, not set: the callback's response also carries the session cookie. */
    private void setBindingCookie(Context ctx, String name, String value, Duration maxAge) {
        String secure = links.secure() ? "; Secure" : "";
        ctx.res()
                .addHeader(
                        "Set-Cookie",
                        name + "=" + value + "; Path=/login; HttpOnly; SameSite=Lax; Max-Age=" + maxAge.toSeconds()
                                + secure);
    }

    private void logout(Context ctx) {
        Optional<Session> ended = authentication.endSession(ctx);
        String home = links.home();
        if (ended.isPresent() && !ended.get().isLocal() && login.oidc() != null) {
            try {
                Optional<URI> providerLogout =
                        client().flatMap(c -> c.logoutUrl(ended.get().idToken(), URI.create(home)));
                if (providerLogout.isPresent()) {
                    ctx.redirect(providerLogout.get().toString(), HttpStatus.SEE_OTHER);
                    return;
                }
            } catch (OidcSetupException e) {
                log.warn("logout: the OIDC provider is unavailable, ending the local session only: {}", e.getMessage());
            }
        }
        ctx.redirect("/", HttpStatus.SEE_OTHER);
    }

    private LocalAdmin localAdmin() {
        return login.localAdmin().orElseThrow(() -> new NotFoundException("no such page: /login/local"));
    }

    private void localForm(Context ctx) {
        localAdmin();
        renderLocal(ctx, null, ctx.queryParam("next"));
    }

    /**
     * The throttle decides before the password is checked, so a refused guess costs no hash and
     * no waiting thread; the client waits instead, told how long by {@code Retry-After}.
     */
    private void localLogin(Context ctx) {
        LocalAdmin admin = localAdmin();
        String name = ctx.formParam("username");
        String password = ctx.formParam("password");
        String next = PendingLogin.safeReturnPath(ctx.formParam("next"));
        String address = clientAddress(ctx);
        Optional<Duration> wait = throttle.tryAcquire(name, address);
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            ctx.status(HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", Long.toString(seconds));
            renderLocal(ctx, "Too many failed logins; try again in " + seconds + " s.", next);
            return;
        }
        if (password == null || !admin.verify(name, password.toCharArray())) {
            log.warn("break-glass login failed for `{}` from {}", loggable(name), address);
            ctx.status(HttpStatus.UNAUTHORIZED);
            renderLocal(ctx, "Wrong user name or password.", next);
            return;
        }
        throttle.succeeded(name, address);
        log.warn("break-glass login: {} from {}", admin.username(), address);
        authentication.startSession(
                ctx,
                login.sessions().create(admin.username(), Session.LOCAL, Set.of(LocalAdmin.GROUP), null, null, null));
        ctx.redirect(next, HttpStatus.SEE_OTHER);
    }

    /** A guessed name is the guesser's text: one short line in the log, never a forged entry. */
    private static String loggable(String name) {
        String n = name == null ? "" : name.replaceAll("\\p{Cntrl}", "?");
        return n.length() > 64 ? n.substring(0, 64) + "…" : n;
    }

    /** The socket's peer: behind a proxy that is the proxy, and all clients share its allowance. */
    private static String clientAddress(Context ctx) {
        return ctx.req().getRemoteAddr();
    }

    private void renderLocal(Context ctx, String error, String next) {
        Map<String, Object> model = pages.model(ctx);
        model.put("error", error);
        model.put("next", PendingLogin.safeReturnPath(next));
        pages.render(ctx, "login-local.jte", model);
    }
}
