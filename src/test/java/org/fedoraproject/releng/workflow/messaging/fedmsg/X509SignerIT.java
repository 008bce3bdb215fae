package org.fedoraproject.releng.workflow.messaging.fedmsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.fedoraproject.releng.workflow.messaging.BusMessage;
import org.fedoraproject.releng.workflow.testsupport.Python;
import org.fedoraproject.releng.workflow.testsupport.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class X509SignerIT {

    @TempDir
    static Path dir;

    static TestCertificates fedmsgCa;
    static TestCertificates.Issued host;
    static TestCertificates.Issued pkcs8Host;
    static TestCertificates.Issued stranger;

    @BeforeAll
    static void makeCertificates() {
        fedmsgCa = TestCertificates.newAuthority(dir, "fedmsg");
        host = fedmsgCa.issue("releng-workflow.example", false);
        pkcs8Host = fedmsgCa.issue("releng-workflow-pkcs8.example", true);
        stranger = TestCertificates.newAuthority(dir, "other").issue("intruder.example", false);
    }

    @Test
    void signedMessagePassesFedmsgValidation() {
        ObjectNode signed =
                X509Signer.fromFiles(host.cert(), host.key()).sign(envelope("Rawhide \u00e9t\u00e9 \ud83d\ude80"));

        Python.Result result = verify(signed);

        assertThat(result.out()).isEqualTo("OK releng-workflow.example\n");
        assertThat(result.exitCode()).isZero();
        assertThat(signed.get("crypto").textValue()).isEqualTo("x509");
    }

    @Test
    void pkcs8KeysSignToo() {
        ObjectNode signed =
                X509Signer.fromFiles(pkcs8Host.cert(), pkcs8Host.key()).sign(envelope("pkcs8"));

        assertThat(verify(signed).out()).isEqualTo("OK releng-workflow-pkcs8.example\n");
    }

    @Test
    void tamperedMessageIsRejected() {
        ObjectNode signed = X509Signer.fromFiles(host.cert(), host.key()).sign(envelope("original"));
        ((ObjectNode) signed.get("msg")).put("title", "tampered");

        Python.Result result = verify(signed);

        assertThat(result.out()).isEqualTo("FAIL: invalid signature\n");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void certificateFromAnotherAuthorityIsRejected() {
        ObjectNode signed =
                X509Signer.fromFiles(stranger.cert(), stranger.key()).sign(envelope("intruder"));

        Python.Result result = verify(signed);

        assertThat(result.out()).startsWith("FAIL: certificate does not chain to the CA");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void signatureAndCertificateAreCutInto76CharacterLinesWithAFinalNewline() {
        ObjectNode signed = X509Signer.fromFiles(host.cert(), host.key()).sign(envelope("lines"));

        for (String field : List.of("signature", "certificate")) {
            String value = signed.get(field).textValue();
            assertThat(value).endsWith("\n");
            List<String> lines = List.of(value.substring(0, value.length() - 1).split("\n", -1));
            assertThat(lines.subList(0, lines.size() - 1))
                    .allSatisfy(line -> assertThat(line).hasSize(76));
            assertThat(lines.get(lines.size() - 1).length()).isBetween(1, 76);
        }
        String pem = new String(
                Base64.getMimeDecoder().decode(signed.get("certificate").textValue()), StandardCharsets.US_ASCII);
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(Base64.getMimeDecoder().decode(signed.get("signature").textValue()))
                .hasSize(256);
    }

    @Test
    void keyThatDoesNotBelongToTheCertificateIsRefused() {
        assertThatThrownBy(() -> X509Signer.fromFiles(host.cert(), stranger.key()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyFile does not belong to certFile");
    }

    private static Python.Result verify(ObjectNode signed) {
        byte[] wire = CanonicalJson.encode(signed).getBytes(StandardCharsets.UTF_8);
        return Python.run(
                wire, Python.peer("fedmsg_verify.py"), "--ca", fedmsgCa.caCert().toString());
    }

    private static ObjectNode envelope(String title) {
        ObjectNode body =
                JsonNodeFactory.instance.objectNode().put("title", title).put("number", 7);
        body.putArray("agent").add("alice");
        BusMessage message = new BusMessage(
                UUID.randomUUID().toString(),
                "releng.workflow.start",
                body,
                Instant.parse("2026-11-25T01:02:03Z"),
                List.of("alice"));
        return FedmsgEnvelope.build("org.fedoraproject.dev", message, 1, "releng");
    }
}
