package org.fedoraproject.releng.workflow.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSearchTest {

    @TempDir
    Path dir;

    private FileLogStore storeWith(long runId, int lines, String... extra) throws Exception {
        FileLogStore store = new FileLogStore(dir);
        try (OutputStream out = store.append(runId)) {
            for (int i = 1; i <= lines; i++) {
                String text = i % 1000 == 0 ? "ok: [host] step " + i + " FAILED here" : "ok: [host] step " + i;
                out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
            }
            for (String line : extra) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return store;
    }

    private static LogSearch.Query plain(String text) {
        return new LogSearch.Query(text, false, false, 0, 100);
    }

    @Test
    void plainTextIsFoundCaseInsensitivelyWithItsLineNumbers() throws Exception {
        FileLogStore store = storeWith(1, 5000);
        LogSearch.Result result = store.search(1, plain("failed HERE"));
        assertThat(result.matches())
                .extracting(LogSearch.Match::line)
                .containsExactly(1000L, 2000L, 3000L, 4000L, 5000L);
        assertThat(result.matches().get(2).text()).isEqualTo("ok: [host] step 3000 FAILED here");
        assertThat(result.next()).isNull();
        assertThat(store.search(1, new LogSearch.Query("failed", false, true, 0, 100))
                        .matches())
                .isEmpty();
    }

    @Test
    void resultsArePagedWithAfterAndNext() throws Exception {
        FileLogStore store = storeWith(2, 5000);
        LogSearch.Result first = store.search(2, new LogSearch.Query("FAILED", false, true, 0, 2));
        assertThat(first.matches()).extracting(LogSearch.Match::line).containsExactly(1000L, 2000L);
        assertThat(first.next()).isEqualTo(2000L);
        LogSearch.Result rest = store.search(2, new LogSearch.Query("FAILED", false, true, first.next(), 100));
        assertThat(rest.matches()).extracting(LogSearch.Match::line).containsExactly(3000L, 4000L, 5000L);
        assertThat(new LogSearch.Query("x", false, false, 0, 1_000_000).limit()).isEqualTo(LogSearch.MAX_LIMIT);
    }

    @Test
    void aMatchAcrossTheReadBoundaryIsFound() throws Exception {
        FileLogStore store = new FileLogStore(dir);
        String filler = "z".repeat(99) + "\n";
        int fillerLines = (1 << 20) / filler.length();
        int rest = (1 << 20) - fillerLines * filler.length();
        try (OutputStream out = store.append(3)) {
            for (int i = 0; i < fillerLines; i++) {
                out.write(filler.getBytes(StandardCharsets.US_ASCII));
            }
            // the needle straddles byte 1 MiB, where the search's first read ends
            out.write(("y".repeat(rest - 3) + "NEEDLE\n").getBytes(StandardCharsets.US_ASCII));
        }
        LogSearch.Result result = store.search(3, plain("needle"));
        assertThat(result.matches()).extracting(LogSearch.Match::line).containsExactly(fillerLines + 1L);
    }

    @Test
    void nonAsciiTextIsMatchedWithoutCase() throws Exception {
        FileLogStore store = storeWith(4, 10, "Échec de la tâche", "ÉCHEC DE LA TÂCHE", "echec");
        LogSearch.Result result = store.search(4, plain("échec de la tâche"));
        assertThat(result.matches()).extracting(LogSearch.Match::line).containsExactly(11L, 12L);
    }

    @Test
    void regexIsOptional() throws Exception {
        FileLogStore store = storeWith(5, 10, "rc=2 FAILED", "rc=0", "a.c");
        assertThat(store.search(5, new LogSearch.Query("rc=[1-9]", true, false, 0, 100))
                        .matches())
                .extracting(LogSearch.Match::line)
                .containsExactly(11L);
        // without regex, a dot is a dot
        assertThat(store.search(5, plain("a.c")).matches())
                .extracting(LogSearch.Match::line)
                .containsExactly(13L);
    }

    @Test
    void anInvalidRegexIsRefusedNamingTheField() throws Exception {
        FileLogStore store = storeWith(6, 10);
        assertThatThrownBy(() -> store.search(6, new LogSearch.Query("(unclosed", true, false, 0, 10)))
                .isInstanceOf(SearchRejectedException.class)
                .hasMessageContaining("not a valid regular expression")
                .extracting(e -> ((SearchRejectedException) e).field())
                .isEqualTo("q");
    }

    @Test
    void catastrophicBacktrackingIsRefusedNotRunForever() throws Exception {
        FileLogStore store = storeWith(7, 10, "a".repeat(40) + "!");
        assertThatThrownBy(() -> store.search(7, new LogSearch.Query("(.*a){8}x", true, false, 0, 10)))
                .isInstanceOf(SearchRejectedException.class)
                .hasMessageContaining("too costly")
                .hasMessageContaining("line 11");
    }

    @Test
    void aGrowingLogIsSearchedAsFarAsItIsWritten() throws Exception {
        FileLogStore store = new FileLogStore(dir);
        try (OutputStream out = store.append(8)) {
            out.write("early match\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(store.search(8, plain("match")).matches())
                    .extracting(LogSearch.Match::line)
                    .containsExactly(1L);
            out.write("later match\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(store.search(8, plain("match")).matches())
                    .extracting(LogSearch.Match::line)
                    .containsExactly(1L, 2L);
        }
    }

    @Test
    void badQueriesAreRefused() {
        assertThatThrownBy(() -> plain("")).isInstanceOf(SearchRejectedException.class);
        assertThatThrownBy(() -> new LogSearch.Query("x", false, false, -1, 10))
                .isInstanceOf(SearchRejectedException.class)
                .hasMessageStartingWith("after:");
        assertThatThrownBy(() -> new LogSearch.Query("x", false, false, 0, 0))
                .isInstanceOf(SearchRejectedException.class)
                .hasMessageStartingWith("limit:");
    }
}
