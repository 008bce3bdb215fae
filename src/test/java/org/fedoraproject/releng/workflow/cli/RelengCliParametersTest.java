package org.fedoraproject.releng.workflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelengCliParametersTest {

    final RunParameters parameters = new RunParameters(new ObjectMapper());

    @Test
    void plainValuesStayStringsForTheEngineToCoerce() {
        assertThat(parameters
                        .parse(List.of("count=3", "dry_run=false", "label="), Set::of)
                        .toString())
                .isEqualTo("{\"count\":\"3\",\"dry_run\":\"false\",\"label\":\"\"}");
    }

    @Test
    void commasSplitOnlyForMultichoiceParameters() {
        var result = parameters.parse(List.of("arches=x86_64, aarch64", "label=a,b"), () -> Set.of("arches"));

        assertThat(result.toString()).isEqualTo("{\"arches\":[\"x86_64\",\"aarch64\"],\"label\":\"a,b\"}");
    }

    @Test
    void theWorkflowIsAskedForItsMultichoiceParametersOnlyWhenAValueHasAComma() {
        AtomicInteger asked = new AtomicInteger();

        parameters.parse(List.of("arches=x86_64", "arches=s390x"), () -> {
            asked.incrementAndGet();
            return Set.of("arches");
        });

        assertThat(asked).hasValue(0);
    }

    @Test
    void repeatedKeysMakeAListAndJsonValuesPassAsTheyAre() {
        var result =
                parameters.parse(List.of("arches=x86_64", "arches=s390x", "extra:={\"a\":[1,true]}", "n:=3"), Set::of);

        assertThat(result.toString())
                .isEqualTo("{\"arches\":[\"x86_64\",\"s390x\"],\"extra\":{\"a\":[1,true]},\"n\":3}");
    }

    @Test
    void atFileReadsTheTextWithoutItsLastNewline(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes"), "one\ntwo\n\n");

        assertThat(parameters
                        .parse(List.of("notes=@" + dir.resolve("notes")), Set::of)
                        .get("notes")
                        .asText())
                .isEqualTo("one\ntwo\n");
    }

    @Test
    void malformedArgumentsAreUsageErrorsThatSayWhatWasExpected() {
        assertThatThrownBy(() -> parameters.parse(List.of("=x"), Set::of))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("expected key=value, key=@file or key:=json");
        assertThatThrownBy(() -> parameters.parse(List.of("n:=[1,"), Set::of))
                .hasMessageContaining("-p n:=… is not JSON");
        assertThatThrownBy(() -> parameters.parse(List.of("n:="), Set::of)).hasMessageContaining("needs a JSON value");
        assertThatThrownBy(() -> parameters.parse(List.of("notes=@/no/such/file"), Set::of))
                .hasMessageContaining("cannot read the file");
    }
}
