package org.fedoraproject.releng.workflow.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The demo's login provider, started by {@code scripts/run} from the test classpath (so nothing of
 * it ships in the engine's jar): mock-oauth2-server on loopback with an interactive login page that
 * knows three FAS-like demo users. The engine logs them in through its production OIDC code path.
 *
 * <p>mock-oauth2-server makes the typed user name the token's {@code sub} and merges the JSON posted
 * in the form field {@code claims} into the tokens; the page below posts each demo user's {@code
 * nickname}, {@code name}, {@code email} and {@code groups} that way: one button per user, or a
 * typed name looked up by a line of script.
 *
 * <p>Usage: {@code DemoOidcProvider [port]} (default 8090); prints the issuer URL, then serves
 * until killed.
 */
public final class DemoOidcProvider {

    public static final List<FedoraLikeProvider.User> USERS = List.of(
            new FedoraLikeProvider.User("rita", "Rita Releng", List.of("releng", "packager")),
            new FedoraLikeProvider.User("quinn", "Quinn QA", List.of("qa", "packager")),
            new FedoraLikeProvider.User("pat", "Pat Packager", List.of("packager")));

    private DemoOidcProvider() {}

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8090;
        FedoraLikeProvider provider = start(port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            provider.close();
                            stopped.countDown();
                        },
                        "demo-oidc-shutdown"));
        System.out.println(provider.issuer());
        System.out.flush();
        stopped.await();
    }

    /** Starts the demo provider on a port of loopback (0: any free one), as tests use it. */
    public static FedoraLikeProvider start(int port) throws Exception {
        Path page = Files.createTempFile("releng-demo-login", ".html");
        page.toFile().deleteOnExit();
        Files.writeString(page, loginPage());
        return FedoraLikeProvider.interactive(page, port);
    }

    static String loginPage() throws Exception {
        ObjectMapper json = new ObjectMapper();
        StringBuilder buttons = new StringBuilder();
        StringBuilder known = new StringBuilder("{");
        for (FedoraLikeProvider.User u : USERS) {
            String claims = json.writeValueAsString(u.claims());
            buttons.append("<form method=\"post\"><input type=\"hidden\" name=\"username\" value=\"")
                    .append(u.name())
                    .append("\"><input type=\"hidden\" name=\"claims\" value='")
                    .append(claims)
                    .append("'><button type=\"submit\">")
                    .append(u.name())
                    .append("</button> ")
                    .append(u.fullName())
                    .append(", groups: ")
                    .append(String.join(", ", u.groups()))
                    .append("</form>\n");
            known.append('"').append(u.name()).append("\":").append(claims).append(',');
        }
        known.setLength(known.length() - 1);
        known.append('}');
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Demo login</title>
                <style>body{font-family:system-ui,sans-serif;margin:2em;max-width:40em} form{margin:.6em 0}
                button{min-width:6em}</style></head>
                <body>
                <h1>Demo login</h1>
                <p>This is a stand-in for Fedora's login provider (mock-oauth2-server), for the demo only.
                Pick a demo user; their FAS groups decide what the engine lets them do.</p>
                %s
                <h2>Or type a name</h2>
                <script>var demoUsers = %s;</script>
                <form method="post" onsubmit="var u=demoUsers[this.username.value];this.claims.value=JSON.stringify(u||{nickname:this.username.value,groups:[]})">
                <input type="text" name="username" required autofocus placeholder="rita, quinn or pat">
                <input type="hidden" name="claims" value="{}"><button type="submit">Log in</button></form>
                </body></html>
                """.formatted(buttons, known);
    }
}
