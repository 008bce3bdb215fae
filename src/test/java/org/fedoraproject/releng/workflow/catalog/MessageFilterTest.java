package org.fedoraproject.releng.workflow.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class MessageFilterTest {

    static final JsonNode MESSAGE = read("""
            {"topic": "org.fedoraproject.prod.buildsys.tag", "msg_id": "2026-abc",
             "msg": {"tag": "f42-updates", "owner": "bodhi", "build_id": 42, "ratio": 1.5, "signed": true,
                     "empty": null, "builds": [{"nvr": "glibc-2.41-1.fc42"}, {"nvr": "bash-5.2-1.fc42"}]},
             "headers": {"sent-at": "2026-01-01T00:00:00+00:00", "fedora_messaging_severity": 20}}
            """);

    static JsonNode read(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static boolean matches(String filter) {
        return MessageFilter.parse(filter).matches(MESSAGE);
    }

    @Test
    void comparesStringsNumbersBooleansAndNull() {
        assertThat(matches("$.msg.tag == 'f42-updates'")).isTrue();
        assertThat(matches("$.msg.tag == \"f42-updates\"")).isTrue();
        assertThat(matches("$.msg.tag == 'f41-updates'")).isFalse();
        assertThat(matches("$.msg.tag != 'f41-updates'")).isTrue();
        assertThat(matches("$.msg.build_id == 42")).isTrue();
        assertThat(matches("$.msg.build_id == 42.0")).isTrue();
        assertThat(matches("$.msg.ratio == 1.5")).isTrue();
        assertThat(matches("$.msg.signed == true")).isTrue();
        assertThat(matches("$.msg.signed")).isTrue();
        assertThat(matches("$.msg.empty == null")).isTrue();
        assertThat(matches("$.topic == 'org.fedoraproject.prod.buildsys.tag' && $.msg_id == '2026-abc'"))
                .isTrue();
    }

    @Test
    void followsIndexesAndQuotedNames() {
        assertThat(matches("$.msg.builds[0].nvr == 'glibc-2.41-1.fc42'")).isTrue();
        assertThat(matches("$.msg.builds[1].nvr =~ '^bash-'")).isTrue();
        assertThat(matches("$.headers['sent-at'] =~ '^2026-'")).isTrue();
        assertThat(matches("$.headers.sent-at =~ '^2026-'")).isTrue();
        assertThat(matches("$.msg[\"tag\"] == 'f42-updates'")).isTrue();
    }

    @Test
    void missingPathsAreNull() {
        assertThat(matches("$.msg.nothing == null")).isTrue();
        assertThat(matches("$.msg.nothing.deeper[3] == null")).isTrue();
        assertThat(matches("$.msg.builds[7].nvr == null")).isTrue();
        assertThat(matches("$.msg.tag[0] == null")).isTrue();
        assertThat(matches("$.msg.nothing != null")).isFalse();
        assertThat(matches("$.msg.nothing == 'x'")).isFalse();
        assertThat(matches("$.msg.nothing")).isFalse();
    }

    @Test
    void typeMismatchesAreFalse() {
        assertThat(matches("$.msg.build_id == '42'")).isFalse();
        assertThat(matches("$.msg.build_id =~ '42'")).isFalse();
        assertThat(matches("$.msg.builds =~ 'glibc'")).isFalse();
        assertThat(matches("$.msg.signed == 'true'")).isFalse();
        assertThat(matches("$.msg.tag")).isFalse();
        assertThat(matches("$.msg.nothing =~ '.*'")).isFalse();
    }

    @Test
    void regexSearchesAnywhereUnlessAnchored() {
        assertThat(matches("$.msg.tag =~ 'updates'")).isTrue();
        assertThat(matches("$.msg.tag =~ '^updates'")).isFalse();
        assertThat(matches("$.msg.tag =~ '^f\\d+-updates$'")).isTrue();
        assertThat(matches("$.msg.builds[0].nvr =~ 'fc42$'")).isTrue();
    }

    @Test
    void combinesWithPrecedenceAndParentheses() {
        assertThat(matches("$.msg.tag == 'x' || $.msg.owner == 'bodhi' && $.msg.build_id == 42"))
                .isTrue();
        assertThat(matches("($.msg.tag == 'x' || $.msg.owner == 'bodhi') && $.msg.build_id == 1"))
                .isFalse();
        assertThat(matches("!($.msg.tag == 'x')")).isTrue();
        assertThat(matches("!$.msg.signed")).isFalse();
        assertThat(matches("!!$.msg.signed")).isTrue();
        assertThat(matches("  $.msg.tag=='f42-updates'&&!($.msg.owner!='bodhi')  "))
                .isTrue();
    }

    @Test
    void badSyntaxNamesThePosition() {
        assertThatThrownBy(() -> MessageFilter.parse("$.msg.tag = 'x'"))
                .hasMessage("at position 11: unexpected `=`; expected `&&`, `||` or the end");
        assertThatThrownBy(() -> MessageFilter.parse("$.msg.tag == 'x"))
                .hasMessage("at position 14: string not closed");
        assertThatThrownBy(() -> MessageFilter.parse("($.msg.tag == 'x'")).hasMessage("at position 18: expected `)`");
        assertThatThrownBy(() -> MessageFilter.parse("$.msg.tag == f42"))
                .hasMessage("at position 14: unknown word `f42`; paths start with `$` and strings are quoted");
        assertThatThrownBy(() -> MessageFilter.parse("$.msg. == 1"))
                .hasMessage("at position 7: expected a field name after `.`");
        assertThatThrownBy(() -> MessageFilter.parse("$.msg.tag =~ '('"))
                .hasMessageStartingWith("at position 14: bad regular expression");
        assertThatThrownBy(() -> MessageFilter.parse("$.msg.tag =~ $.msg.owner"))
                .hasMessage("at position 14: `=~` needs a quoted regular expression on its right");
        assertThatThrownBy(() -> MessageFilter.parse("$.msg.builds[x]"))
                .hasMessage("at position 14: expected an index or a quoted name inside `[ ]`");
        assertThatThrownBy(() -> MessageFilter.parse("$.msg.tag == 'x' &&"))
                .hasMessage("at position 20: unexpected end; expected a path, a value or `(`");
        assertThatThrownBy(() -> MessageFilter.parse(" ")).hasMessage("empty filter");
    }

    @Test
    void noFilterMatchesEverything() {
        assertThat(MessageFilter.parseOrAll(null).matches(MESSAGE)).isTrue();
        assertThat(MessageFilter.parseOrAll("").matches(read("{}"))).isTrue();
    }
}
