package org.fedoraproject.releng.workflow.approval;

import java.time.Instant;

/** One recorded decision: {@code by} is the person (or {@code engine} for a timeout). */
public record Decision(String by, Verdict verdict, String comment, Instant at) {}
