package org.fedoraproject.releng.workflow.auth.oidc;

import java.net.URI;

/**
 * The result of {@link OidcClient#begin}: redirect the browser to {@code authorizationUrl} and
 * keep {@code pending} (in {@link PendingLogins} or the session) for the callback.
 */
public record LoginStart(URI authorizationUrl, PendingLogin pending) {}
