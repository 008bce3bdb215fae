package org.fedoraproject.releng.workflow.auth;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.fedoraproject.releng.workflow.access.AuthenticationRequiredException;
import org.fedoraproject.releng.workflow.access.Principal;

/**
 * Personal API tokens: created by a logged-in person, shown once, kept only as hashes. A token acts
 * as its owner with the groups of the owner's last login, and stops working when the owner has not
 * logged in for {@code auth.tokenMaxIdle}: someone who left Fedora stops logging in, and their
 * tokens die with their FAS account without anyone having to remember them. Shared by every engine
 * node: {@link JdbcApiTokens}.
 */
public interface ApiTokens {

    String PREFIX = "rwe_";
    Duration MAX_VALIDITY = Duration.ofDays(366);

    /** What {@link #create} returns: the token's value, shown to its owner once, and its record. */
    record Created(String value, ApiToken token) {}

    /**
     * @throws IllegalArgumentException for a name that is blank or longer than 200 characters, or a
     *     validity outside 1 to 366 days
     */
    Created create(String owner, String name, Duration validity);

    /** The owner's tokens, newest first, revoked ones included (they show as revoked). */
    List<ApiToken> list(String owner);

    /**
     * Revokes one of the owner's tokens; revoking it again changes nothing.
     *
     * @throws org.fedoraproject.releng.workflow.NotFoundException for someone else's or no token
     */
    void revoke(String owner, long id);

    /**
     * The principal a presented token stands for, or empty when the value is not a personal token
     * at all (then it may be a service account's).
     *
     * @throws AuthenticationRequiredException for a revoked or expired token, or an idle owner
     */
    Optional<Principal> authenticate(String value);

    /** The name a token is stored under, once the request passes the rules of {@link #create}. */
    static String checkedName(String name, Duration validity) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("name: give the token a name of 1 to 200 characters, e.g. `jenkins`");
        }
        if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
            throw new IllegalArgumentException("expiry: a token lives between 1 and 366 days");
        }
        return name.strip();
    }
}
