package org.fedoraproject.releng.workflow.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fedoraproject.releng.workflow.messaging.BusMessage;
import org.fedoraproject.releng.workflow.messaging.PemFiles;
import org.fedoraproject.releng.workflow.messaging.fedmsg.FedmsgEnvelope;
import org.fedoraproject.releng.workflow.messaging.fedmsg.X509Signer;
import org.fedoraproject.releng.workflow.testsupport.TestCertificates;
import org.fedoraproject.releng.workflow.trigger.DroppedMessages.Reason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FedmsgValidatorTest {

    static final String TOPIC = "org.fedoraproject.prod.releng.workflow.complete";

    @TempDir
    static Path dir;

    static TestCertificates ca;
    static X509Signer releng;
    static X509Signer bodhi;
    static X509Signer stranger;

    @BeforeAll
    static void makeCertificates() throws Exception {
        ca = TestCertificates.newAuthority(dir, "fedmsg");
        TestCertificates.Issued r = ca.issue("releng-workflow01.stg", false);
        TestCertificates.Issued b = ca.issue("bodhi-bodhi01.stg", true);
        TestCertificates.Issued s = TestCertificates.newAuthority(
                        Files.createDirectories(dir.resolve("other")), "other")
                .issue("releng-workflow01.stg", false);
        releng = X509Signer.fromFiles(r.cert(), r.key());
        bodhi = X509Signer.fromFiles(b.cert(), b.key());
        stranger = X509Signer.fromFiles(s.cert(), s.key());
    }

    static FedmsgValidator validator(Map<String, List<String>> policy, boolean nitpicky, Clock clock) {
        return new FedmsgValidator(PemFiles.certificates(ca.caCert(), "caFile"), policy, nitpicky, clock);
    }

    static FedmsgValidator validator(Map<String, List<String>> policy) {
        return validator(policy, false, Clock.systemUTC());
    }

    static ObjectNode envelope() {
        ObjectNode body = JsonNodeFactory.instance
                .objectNode()
                .put("workflow", "compose-nightly")
                .put("title", "Rawhide \u00e9t\u00e9 \ud83d\ude80")
                .put("run_id", 7);
        body.putArray("tags").add("f42").add(42).add(true).addNull();
        BusMessage m = new BusMessage(
                UUID.randomUUID().toString(), "releng.workflow.complete", body, Instant.now(), List.of());
        return FedmsgEnvelope.build("org.fedoraproject.prod", m, 3, "releng");
    }

    @Test
    void messageSignedByOurOwnSignerValidates() {
        FedmsgValidator.Verdict verdict =
                validator(Map.of(TOPIC, List.of("releng-workflow01.stg"))).validate(TOPIC, releng.sign(envelope()));

        assertThat(verdict.accepted()).as(String.valueOf(verdict.detail())).isTrue();
        assertThat(verdict.signer()).isEqualTo("releng-workflow01.stg");
    }

    @Test
    void unsignedMessageIsDropped() {
        FedmsgValidator.Verdict verdict = validator(Map.of()).validate(TOPIC, envelope());

        assertThat(verdict.reason()).isEqualTo(Reason.UNSIGNED);
        assertThat(verdict.detail()).isEqualTo("no signature field");
    }

    @Test
    void messageChangedAfterSigningIsDropped() {
        ObjectNode signed = releng.sign(envelope());
        ((ObjectNode) signed.get("msg")).put("workflow", "branch-release");

        assertThat(validator(Map.of()).validate(TOPIC, signed).reason()).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void signatureByAnotherKeyUnderAGenuineCertificateIsDropped() {
        ObjectNode forged = stranger.sign(envelope());
        forged.put("certificate", releng.sign(envelope()).get("certificate").textValue());

        FedmsgValidator.Verdict verdict = validator(Map.of()).validate(TOPIC, forged);

        assertThat(verdict.reason()).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(verdict.detail()).contains("does not match the message");
    }

    @Test
    void certificateFromAnotherAuthorityIsNotTrustedWhateverItsName() {
        FedmsgValidator.Verdict verdict = validator(Map.of()).validate(TOPIC, stranger.sign(envelope()));

        assertThat(verdict.reason()).isEqualTo(Reason.UNTRUSTED_CERTIFICATE);
        assertThat(verdict.detail()).startsWith("certificate CN=releng-workflow01.stg is not trusted: ");
    }

    @Test
    void expiredCertificateIsNotTrusted() {
        // the test certificates are valid for two days
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(3)), ZoneOffset.UTC);

        FedmsgValidator.Verdict verdict = validator(Map.of(), false, later).validate(TOPIC, releng.sign(envelope()));

        assertThat(verdict.reason()).isEqualTo(Reason.UNTRUSTED_CERTIFICATE);
    }

    @Test
    void routingPolicyNamesWhoMaySendATopic() {
        FedmsgValidator v = validator(Map.of(TOPIC, List.of("releng-workflow01.stg")));

        FedmsgValidator.Verdict verdict = v.validate(TOPIC, bodhi.sign(envelope()));

        assertThat(verdict.reason()).isEqualTo(Reason.ROUTING_POLICY);
        assertThat(verdict.detail())
                .isEqualTo("certificate `bodhi-bodhi01.stg` may not send `" + TOPIC
                        + "`; routingPolicy allows [releng-workflow01.stg]");
    }

    @Test
    void topicWithoutPolicyEntryPassesUnlessNitpicky() {
        Map<String, List<String>> policy =
                Map.of("org.fedoraproject.prod.bodhi.update.comment", List.of("bodhi-bodhi01.stg"));
        ObjectNode signed = bodhi.sign(envelope());

        assertThat(validator(policy).validate(TOPIC, signed).accepted()).isTrue();
        FedmsgValidator.Verdict strict =
                validator(policy, true, Clock.systemUTC()).validate(TOPIC, signed);
        assertThat(strict.reason()).isEqualTo(Reason.ROUTING_POLICY);
        assertThat(strict.detail()).contains("no routingPolicy entry for `" + TOPIC + "`");
    }

    @Test
    void signedMessageUnderAnotherTopicFrameIsDropped() {
        FedmsgValidator.Verdict verdict = validator(Map.of())
                .validate("org.fedoraproject.prod.bodhi.update.request.stable", releng.sign(envelope()));

        assertThat(verdict.reason()).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(verdict.detail()).contains("is not the signed topic `" + TOPIC + "`");
    }

    @Test
    void otherCryptoAndMalformedFieldsAreDropped() {
        ObjectNode gpg = releng.sign(envelope()).put("crypto", "gpg");
        assertThat(validator(Map.of()).validate(TOPIC, gpg).detail())
                .isEqualTo("crypto `gpg` is not supported; only x509 is");

        ObjectNode notBase64 = releng.sign(envelope()).put("certificate", "not base64 at all!");
        assertThat(validator(Map.of()).validate(TOPIC, notBase64).reason())
                .isIn(Reason.BAD_SIGNATURE, Reason.UNTRUSTED_CERTIFICATE);

        ObjectNode numeric = releng.sign(envelope()).put("signature", 12);
        assertThat(validator(Map.of()).validate(TOPIC, numeric).reason()).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void floatsCannotBeCheckedBecauseTheirTextDiffersBetweenLanguages() {
        ObjectNode signed = releng.sign(envelope());
        ((ObjectNode) signed.get("msg")).put("ratio", 0.5);

        FedmsgValidator.Verdict verdict = validator(Map.of()).validate(TOPIC, signed);

        assertThat(verdict.reason()).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(verdict.detail()).startsWith("cannot re-encode the message exactly as it was signed");
    }
}
