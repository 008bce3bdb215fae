package org.fedoraproject.releng.workflow.auth.oidc;

/**
 * The OIDC client cannot be set up: discovery failed, or the provider's document contradicts the
 * configuration. Raised at start-up, with the key or URL to check.
 */
public class OidcSetupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OidcSetupException(String message) {
        super(message);
    }

    public OidcSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
