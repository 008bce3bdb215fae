package org.fedoraproject.releng.workflow.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * A message announcing a run's change, to be written to the outbox in the change's own
 * transaction so that it is sent if and only if the change commits. {@code users} are the
 * accounts the message concerns (fedmsg's {@code usernames}).
 */
public record Announcement(String id, String topic, ObjectNode body, Instant at, List<String> users) {}
