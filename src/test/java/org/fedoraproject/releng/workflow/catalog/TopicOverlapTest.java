package org.fedoraproject.releng.workflow.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicOverlapTest {

    static boolean overlap(String a, String b) {
        boolean one = new TopicPattern(a).overlaps(new TopicPattern(b));
        assertThat(new TopicPattern(b).overlaps(new TopicPattern(a)))
                .as("symmetric")
                .isEqualTo(one);
        return one;
    }

    @Test
    void patternsOverlapWhenSomeTopicMatchesBoth() {
        TopicPattern own = TopicPattern.ENGINE_ANNOUNCEMENTS;
        assertThat(own.overlaps(new TopicPattern("org.fedoraproject.prod.releng.workflow.start")))
                .isTrue();
        assertThat(own.overlaps(new TopicPattern("org.*.prod.#"))).isTrue();
        assertThat(own.overlaps(new TopicPattern("*.*.*.*.workflow.complete"))).isTrue();
        assertThat(own.overlaps(new TopicPattern("#.approval.request"))).isTrue();
        assertThat(overlap("#", "a.b")).isTrue();
        assertThat(overlap("#.x.y", "#.y")).isTrue();
        assertThat(overlap("a.*", "*.b")).isTrue();
    }

    @Test
    void patternsThatNoTopicMatchesBothDoNotOverlap() {
        TopicPattern own = TopicPattern.ENGINE_ANNOUNCEMENTS;
        assertThat(own.overlaps(new TopicPattern("org.fedoraproject.prod.buildsys.tag")))
                .isFalse();
        assertThat(own.overlaps(new TopicPattern("org.fedoraproject.*.pungi.compose.status.change")))
                .isFalse();
        assertThat(own.overlaps(new TopicPattern("org.fedoraproject.prod.releng.compose")))
                .isFalse();
        // a workflow may well listen to everything Bodhi says: Bodhi is not the engine
        assertThat(own.overlaps(new TopicPattern("org.fedoraproject.prod.bodhi.#")))
                .isFalse();
        assertThat(TopicPattern.announcementsUnder("io.example.infra.prod")
                        .overlaps(new TopicPattern("io.example.infra.prod.releng.workflow.complete")))
                .isTrue();
        assertThat(overlap("a.*", "a")).isFalse();
        assertThat(overlap("#.a", "#.b")).isFalse();
        assertThat(overlap("*.*", "*")).isFalse();
    }
}
