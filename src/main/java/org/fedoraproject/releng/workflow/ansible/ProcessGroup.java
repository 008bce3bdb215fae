package org.fedoraproject.releng.workflow.ansible;

/**
 * A process group that the engine started, as recorded with its run so that the node can stop it
 * after a crash: the group id (the pid of its leader, which {@code setsid} made) and
 * {@code instance}, which process that was: {@code <boot id>/<start time in clock ticks since boot>}.
 * The number alone is not enough, since pids are reused: after a reboot, or once the pid counter
 * has come round, the same number names someone else's process.
 */
public record ProcessGroup(long id, String instance) {}
