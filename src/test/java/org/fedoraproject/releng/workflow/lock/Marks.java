package org.fedoraproject.releng.workflow.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The marks file of test-fixtures/lock-workflows: each run writes "start ID" and "end ID". */
final class Marks {

    private Marks() {}

    /**
     * Asserts that no two runs overlapped (each start is followed by its own end before the next
     * start) and returns the runs in the order they started.
     */
    static List<Long> inTurn(Path marks) throws IOException {
        List<String> lines = Files.readAllLines(marks);
        assertThat(lines.size() % 2).as("every run wrote both marks: %s", lines).isZero();
        List<Long> order = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += 2) {
            assertThat(lines.get(i)).as("marks %s", lines).startsWith("start ");
            String id = lines.get(i).substring("start ".length());
            assertThat(lines.get(i + 1))
                    .as("a run that shares a lock overlapped: %s", lines)
                    .isEqualTo("end " + id);
            order.add(Long.parseLong(id));
        }
        return order;
    }

    static String params(Path marks, Path release) {
        return "{\"marks\":\"" + marks + "\"" + (release == null ? "" : ",\"release\":\"" + release + "\"") + "}";
    }
}
