package org.fedoraproject.releng.workflow.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicPatternTest {

    @Test
    void exactTopicsMatchOnlyThemselves() {
        TopicPattern p = new TopicPattern("org.fedoraproject.prod.buildsys.tag");
        assertThat(p.matches("org.fedoraproject.prod.buildsys.tag")).isTrue();
        assertThat(p.matches("org.fedoraproject.prod.buildsys.tag.extra")).isFalse();
        assertThat(p.matches("org.fedoraproject.prod.buildsys")).isFalse();
        assertThat(p.isExact()).isTrue();
        assertThat(p.fixedPrefix()).isEqualTo("org.fedoraproject.prod.buildsys.tag");
    }

    @Test
    void starIsExactlyOneWord() {
        TopicPattern p = new TopicPattern("org.fedoraproject.*.buildsys.tag");
        assertThat(p.matches("org.fedoraproject.prod.buildsys.tag")).isTrue();
        assertThat(p.matches("org.fedoraproject.stg.buildsys.tag")).isTrue();
        assertThat(p.matches("org.fedoraproject.buildsys.tag")).isFalse();
        assertThat(p.matches("org.fedoraproject.a.b.buildsys.tag")).isFalse();
        assertThat(p.fixedPrefix()).isEqualTo("org.fedoraproject.");
    }

    @Test
    void hashIsZeroOrMoreWords() {
        TopicPattern p = new TopicPattern("org.fedoraproject.prod.pungi.#");
        assertThat(p.matches("org.fedoraproject.prod.pungi")).isTrue();
        assertThat(p.matches("org.fedoraproject.prod.pungi.compose.status.change"))
                .isTrue();
        assertThat(p.matches("org.fedoraproject.prod.bodhi.update")).isFalse();
        assertThat(new TopicPattern("#.complete").matches("org.fedoraproject.prod.releng.workflow.complete"))
                .isTrue();
        assertThat(new TopicPattern("#").matches("anything.at.all")).isTrue();
        assertThat(new TopicPattern("#.complete").fixedPrefix()).isEmpty();
    }
}
