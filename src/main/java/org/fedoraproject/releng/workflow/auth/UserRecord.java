package org.fedoraproject.releng.workflow.auth;

import java.time.Instant;
import java.util.Set;

/** A person as of their last login: API tokens act with these groups. */
public record UserRecord(String name, String fullName, String email, Set<String> groups, Instant lastLoginAt) {}
