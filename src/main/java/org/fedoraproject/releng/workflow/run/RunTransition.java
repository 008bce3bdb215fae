package org.fedoraproject.releng.workflow.run;

import java.time.Instant;

/** One recorded change of a run's status: when, who (a user, an account or the engine) and why. */
public record RunTransition(long runId, RunStatus from, RunStatus to, Instant at, String actor, String reason) {}
