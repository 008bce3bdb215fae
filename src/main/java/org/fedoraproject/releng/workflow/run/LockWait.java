package org.fedoraproject.releng.workflow.run;

/**
 * Why a queued run has not started: {@code run} holds {@code lock} ({@code held}), or, with the
 * lock free, is an older queued run that wants it too and goes first.
 */
public record LockWait(String lock, Run run, boolean held) {}
