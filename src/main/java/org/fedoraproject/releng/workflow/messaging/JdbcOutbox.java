package org.fedoraproject.releng.workflow.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.fedoraproject.releng.workflow.run.Announcement;
import org.fedoraproject.releng.workflow.run.JdbcRunRepository;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The outbox table and each bus's cursor into it. */
public final class JdbcOutbox implements Outbox, JdbcRunRepository.OutboxWriter {

    private final Jdbi jdbi;
    private final ObjectMapper json;

    public JdbcOutbox(Jdbi jdbi, ObjectMapper json) {
        this.jdbi = jdbi;
        this.json = json;
    }

    /** Called inside the transaction of the run change the message announces. */
    @Override
    public void write(Handle h, long runId, Announcement m) {
        try {
            h.createUpdate("insert into outbox (message_id, run_id, topic, body, users, created_at)"
                            + " values (:id, :run, :topic, :body, :users, :at)")
                    .bind("id", m.id())
                    .bind("run", runId)
                    .bind("topic", m.topic())
                    .bind("body", json.writeValueAsString(m.body()))
                    .bind("users", json.writeValueAsString(m.users()))
                    .bind("at", Timestamp.from(m.at()))
                    .execute();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("message body cannot be written", e);
        }
    }

    /** As {@link Outbox#deliver}, holding the cursor's row lock while delivering. */
    @Override
    public int deliver(String bus, int max, Function<Entry, Boolean> deliver) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("insert into outbox_cursor (bus, last_id) values (:bus, 0) on conflict do nothing")
                    .bind("bus", bus)
                    .execute();
            long cursor = h.createQuery("select last_id from outbox_cursor where bus = :bus for update")
                    .bind("bus", bus)
                    .mapTo(Long.class)
                    .one();
            List<Entry> batch = h.createQuery("select id, message_id, run_id, topic, body, users, created_at"
                            + " from outbox where id > :cursor order by id limit :max")
                    .bind("cursor", cursor)
                    .bind("max", max)
                    .map((rs, ctx) -> new Entry(
                            rs.getLong("id"),
                            rs.getObject("run_id", Long.class),
                            new BusMessage(
                                    rs.getString("message_id"),
                                    rs.getString("topic"),
                                    readObject(rs.getString("body")),
                                    rs.getTimestamp("created_at").toInstant(),
                                    readList(rs.getString("users")))))
                    .list();
            int accepted = 0;
            long last = cursor;
            for (Entry e : batch) {
                if (!deliver.apply(e)) {
                    break;
                }
                last = e.id();
                accepted++;
            }
            if (last != cursor) {
                h.createUpdate("update outbox_cursor set last_id = :last where bus = :bus")
                        .bind("last", last)
                        .bind("bus", bus)
                        .execute();
            }
            return accepted;
        });
    }

    @Override
    public long pending(String bus) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from outbox where id > coalesce("
                        + "(select last_id from outbox_cursor where bus = :bus), 0)")
                .bind("bus", bus)
                .mapTo(Long.class)
                .one());
    }

    @Override
    public List<Map<String, Object>> forRun(long runId, List<String> buses) {
        return jdbi.withHandle(h -> {
            Map<String, Long> cursors = new java.util.HashMap<>();
            for (String bus : buses) {
                cursors.put(
                        bus,
                        h.createQuery("select last_id from outbox_cursor where bus = :bus")
                                .bind("bus", bus)
                                .mapTo(Long.class)
                                .findOne()
                                .orElse(0L));
            }
            return h.createQuery("select id, message_id, topic, created_at from outbox where run_id = :run order by id")
                    .bind("run", runId)
                    .map((rs, ctx) -> {
                        Map<String, Object> m = new java.util.LinkedHashMap<>();
                        long id = rs.getLong("id");
                        m.put("topic", rs.getString("topic"));
                        m.put("id", rs.getString("message_id"));
                        m.put(
                                "createdAt",
                                rs.getTimestamp("created_at").toInstant().toString());
                        Map<String, String> delivery = new java.util.LinkedHashMap<>();
                        for (String bus : buses) {
                            delivery.put(bus, id <= cursors.get(bus) ? "sent" : "pending");
                        }
                        m.put("buses", delivery);
                        return m;
                    })
                    .list();
        });
    }

    private ObjectNode readObject(String text) {
        try {
            return (ObjectNode) json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored message body is not JSON", e);
        }
    }

    private List<String> readList(String text) {
        try {
            return json.readValue(text, new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored users are not JSON", e);
        }
    }
}
