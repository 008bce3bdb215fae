package org.fedoraproject.releng.workflow.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.fedoraproject.releng.workflow.ansible.EventChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's end of the event channel, fed through a real Unix socket by a client that plays
 * the plugin (well or badly): what is stored, masked and capped, and what faults say.
 */
class EventRecordingTest {

    private static final String SECRET = "hunter2-correct-horse";

    @TempDir
    Path scratch;

    private final InMemoryRunEventStore store = new InMemoryRunEventStore();

    private EventRecorder recorder(long logLines) {
        return new EventRecorder(7, store, List.of(SECRET), () -> logLines, Clock.systemUTC());
    }

    /** Sends {@code frames} as the plugin would, then closes; returns the closed summary. */
    private RunSummary send(EventRecorder recorder, byte[]... frames) throws Exception {
        try (EventChannel channel = EventChannel.open(scratch, recorder, 7)) {
            channel.start();
            try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                client.connect(UnixDomainSocketAddress.of(channel.socket()));
                for (byte[] frame : frames) {
                    ByteBuffer buffer = ByteBuffer.wrap(frame);
                    while (buffer.hasRemaining()) {
                        client.write(buffer);
                    }
                }
            }
            channel.finish(Duration.ofSeconds(10));
        }
        return recorder.finish();
    }

    private static byte[] line(String json) {
        return (json + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static final byte[] END = line("{\"type\":\"releng_end\"}");

    @Test
    void eventsAreMaskedEverywhereNumberedAndPlacedAfterTheLinesBeforeThePlaybook() throws Exception {
        RunSummary summary = send(
                recorder(5),
                line("{\"type\":\"playbook_on_start\",\"line\":1,\"result\":{\"check\":true}}"),
                line("{\"type\":\"runner_on_ok\",\"task\":\"use " + SECRET + "\",\"host\":\"a\",\"line\":4,"
                        + "\"item\":{\"k\":\"" + SECRET + "\"},\"result\":{\"msg\":[\"x " + SECRET + " y\"],\""
                        + SECRET + "\":1}}"),
                END);

        assertThat(summary.state()).isEqualTo(RunSummary.State.COMPLETE);
        assertThat(summary.dryRun()).as("check mode is a dry run").isTrue();
        assertThat(store.events).extracting(RunEvent::seq).containsExactly(1, 2);
        RunEvent ok = store.events.get(1);
        assertThat(ok.line()).isEqualTo(9);
        assertThat(ok.toString()).doesNotContain(SECRET).doesNotContain("hunter2");
        assertThat(ok.task()).isEqualTo("use ********");
        assertThat(ok.result()).isEqualTo("{\"msg\":[\"x ******** y\"],\"********\":1}");
    }

    @Test
    void aHugeResultIsCappedWithAMarkerAfterMasking() throws Exception {
        // the secret straddles the cap: cutting before masking would leave its first half readable
        String filler = "x".repeat(EventRecorder.RESULT_CAP - 12);
        send(
                recorder(0),
                line("{\"type\":\"runner_on_ok\",\"line\":1,\"result\":{\"msg\":\"" + filler + SECRET + "\"}}"),
                END);

        String result = store.events.get(0).result();
        assertThat(result).contains("\"_truncated\"").doesNotContain("hunter2").doesNotContain("hunter");
        assertThat(result.length()).isLessThan(EventRecorder.RESULT_CAP + 200);
    }

    @Test
    void malformedAndOversizedEventsAreDroppedAndSaidButTheOthersKept() throws Exception {
        byte[] huge = line("{\"type\":\"runner_on_ok\",\"result\":\"" + "y".repeat(3 * 1024 * 1024) + "\"}");
        RunSummary summary = send(
                recorder(0),
                line("{\"type\":\"playbook_on_play_start\",\"play\":\"p\"}"),
                line("{not json"),
                line("[1,2]"),
                huge,
                line("{\"type\":\"runner_on_fire\"}"),
                line("{\"type\":\"playbook_on_task_start\",\"task\":\"after\"}"),
                END);

        assertThat(store.events)
                .extracting(RunEvent::type)
                .containsExactly("playbook_on_play_start", "playbook_on_task_start");
        assertThat(summary.state()).isEqualTo(RunSummary.State.INCOMPLETE);
        assertThat(summary.problem())
                .contains("a malformed event was dropped")
                .contains("an event larger than 2048 KiB was dropped")
                .contains("unknown type `runner_on_fire`");
        assertThat(summary.events()).isEqualTo(2);
    }

    @Test
    void aStreamThatStopsWithoutItsEndIsIncomplete() throws Exception {
        RunSummary summary = send(recorder(0), line("{\"type\":\"playbook_on_play_start\",\"play\":\"p\"}"));

        assertThat(store.events).hasSize(1);
        assertThat(summary.problem()).contains("without closing its event stream");
    }

    @Test
    void aPluginThatNeverConnectsLeavesTheRunWithoutEventsAndSaysSo() throws Exception {
        EventRecorder recorder = recorder(0);
        try (EventChannel channel = EventChannel.open(scratch, recorder, 7)) {
            channel.start();
            channel.finish(Duration.ofMillis(200));
        }
        RunSummary summary = recorder.finish();

        assertThat(summary.state()).isEqualTo(RunSummary.State.INCOMPLETE);
        assertThat(summary.problem()).contains("the callback plugin never connected");
    }

    @Test
    void anOutputHoldingASecretIsLeftOutAndTheRestPublished() throws Exception {
        RunSummary summary = send(
                recorder(0),
                line("{\"type\":\"playbook_on_stats\",\"result\":{\"hosts\":{\"a\":{\"ok\":2,\"changed\":1}},"
                        + "\"outputs\":{\"compose_id\":\"Fedora-1\",\"token\":\"t " + SECRET + "\"}}}"),
                END);

        assertThat(summary.outputs().toString()).isEqualTo("{\"compose_id\":\"Fedora-1\"}");
        assertThat(summary.problem()).contains("output `token` holds a secret");
        assertThat(summary.hosts()).containsExactly(new HostRecap("a", 2, 1, 0, 0, 0, 0, 0));
        assertThat(summary.verdict(0)).isEqualTo("ok on 1 host; 1 change");
    }

    @Test
    void theVerdictSaysWhatTheExitCodeDoesNot() {
        RunSummary failed = new RunSummary(
                RunSummary.State.COMPLETE,
                null,
                0,
                false,
                List.of(
                        new HostRecap("a", 1, 0, 1, 0, 0, 0, 0),
                        new HostRecap("b", 1, 0, 0, 1, 0, 0, 0),
                        new HostRecap("c", 2, 0, 0, 0, 0, 0, 0)),
                null);
        assertThat(failed.verdict(2)).isEqualTo("failed on 1 of 3 hosts: a; unreachable: 1 of 3 hosts: b; 0 changes");
        assertThat(failed.verdict(0)).contains("ignored by the playbook, which exited 0");
        RunSummary clear = new RunSummary(
                RunSummary.State.COMPLETE, null, 0, false, List.of(new HostRecap("a", 1, 0, 0, 0, 0, 0, 0)), null);
        assertThat(clear.verdict(2)).contains("exited 2 with no host failed in the recap");
    }

    @Test
    void aDeepDataDirectoryGetsItsSocketElsewhere() throws IOException {
        Path deep = scratch.resolve("d".repeat(120));
        java.nio.file.Files.createDirectories(deep);
        try (EventChannel channel = EventChannel.open(deep, recorder(0), 7)) {
            assertThat(channel.socket().toString().length()).isLessThan(108);
            assertThat(channel.environment().get("RELENG_EVENTS_SOCKET"))
                    .isEqualTo(channel.socket().toString());
        }
    }
}
