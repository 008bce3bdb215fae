package org.fedoraproject.releng.workflow.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.fedoraproject.releng.workflow.config.TriggerSettings;
import org.fedoraproject.releng.workflow.messaging.IncomingMessages;
import org.fedoraproject.releng.workflow.messaging.PemFiles;
import org.fedoraproject.releng.workflow.messaging.fedmsg.CanonicalJson;
import org.fedoraproject.releng.workflow.trigger.DroppedMessages.Reason;

/**
 * Checks a fedmsg envelope as {@code fedmsg.crypto.x509.validate} and {@code validate_policy}
 * do: the {@code certificate} (base64 of PEM) must chain to one of the configured CA certificates
 * and be valid now; the {@code signature} (base64, RSA PKCS#1 v1.5 over SHA-1) must verify, with
 * that certificate's key, the canonical JSON of the envelope without {@code signature} and
 * {@code certificate}; then the certificate's common name must be listed in the routing policy
 * for the envelope's topic (a topic without an entry passes unless {@code nitpicky}).
 *
 * <p>Beyond fedmsg's function, and as fedmsg's consumers do ("Topic envelope mismatch"), the
 * topic frame must be the signed topic: the frame is what triggers match, and it is not signed.
 * Revocation lists are not consulted.
 */
public final class FedmsgValidator {

    /** Accepted when {@code reason} is null; {@code signer} is the certificate's CN once known. */
    public record Verdict(Reason reason, String detail, String signer) {
        static Verdict accept(String signer) {
            return new Verdict(null, null, signer);
        }

        static Verdict drop(Reason reason, String detail) {
            return new Verdict(reason, detail, null);
        }

        public boolean accepted() {
            return reason == null;
        }
    }

    private final Set<TrustAnchor> anchors;
    private final Map<String, List<String>> routingPolicy;
    private final boolean nitpicky;
    private final Clock clock;

    public FedmsgValidator(
            List<X509Certificate> caCertificates,
            Map<String, List<String>> routingPolicy,
            boolean nitpicky,
            Clock clock) {
        // every certificate in caFile is trusted as is: an intermediate CA there works without its root
        this.anchors =
                caCertificates.stream().map(c -> new TrustAnchor(c, null)).collect(Collectors.toUnmodifiableSet());
        this.routingPolicy = Map.copyOf(routingPolicy);
        this.nitpicky = nitpicky;
        this.clock = clock;
    }

    /** From {@code triggers.fedmsg}; an unreadable or empty {@code caFile} is an IllegalArgumentException naming it. */
    public static FedmsgValidator fromSettings(TriggerSettings.Fedmsg settings, Clock clock) {
        Path caFile = settings.caFile();
        try {
            return new FedmsgValidator(
                    PemFiles.certificates(caFile, "triggers.fedmsg.caFile"),
                    settings.routingPolicy(),
                    settings.routingNitpicky(),
                    clock);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * {@code triggers} as a fedmsg subscriber should see them: a message this validator refuses is
     * counted in {@code dropped} and reaches no trigger.
     */
    public IncomingMessages guarding(IncomingMessages triggers, DroppedMessages dropped) {
        return new IncomingMessages() {
            @Override
            public Set<String> topics(String bus) {
                return triggers.topics(bus);
            }

            @Override
            public void onChange(Runnable listener) {
                triggers.onChange(listener);
            }

            @Override
            public void receive(Message message) {
                Verdict verdict = validate(message.topic(), message.root());
                if (verdict.accepted()) {
                    triggers.receive(message);
                } else {
                    dropped.drop(message.bus(), verdict.reason(), message.topic(), message.id(), verdict.detail());
                }
            }
        };
    }

    public Verdict validate(String frameTopic, JsonNode envelope) {
        JsonNode signatureField = envelope.get("signature");
        JsonNode certificateField = envelope.get("certificate");
        if (signatureField == null || certificateField == null) {
            return Verdict.drop(
                    Reason.UNSIGNED, "no " + (signatureField == null ? "signature" : "certificate") + " field");
        }
        if (!signatureField.isTextual() || !certificateField.isTextual()) {
            return Verdict.drop(Reason.BAD_SIGNATURE, "signature and certificate must be base64 strings");
        }
        JsonNode crypto = envelope.get("crypto");
        // fedmsg signed without a crypto field before it had gpg; both mean x509
        if (crypto != null && !"x509".equals(crypto.asText(null))) {
            return Verdict.drop(
                    Reason.BAD_SIGNATURE, "crypto `" + crypto.asText() + "` is not supported; only x509 is");
        }
        byte[] signature;
        byte[] certificatePem;
        try {
            signature = Base64.getMimeDecoder().decode(signatureField.textValue());
            certificatePem = Base64.getMimeDecoder().decode(certificateField.textValue());
        } catch (IllegalArgumentException e) {
            return Verdict.drop(Reason.BAD_SIGNATURE, "signature or certificate is not base64: " + e.getMessage());
        }
        X509Certificate certificate;
        try {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificatePem));
        } catch (GeneralSecurityException | ClassCastException e) {
            return Verdict.drop(
                    Reason.UNTRUSTED_CERTIFICATE, "certificate is not an X.509 certificate: " + e.getMessage());
        }
        String subject = certificate.getSubjectX500Principal().getName();
        try {
            checkChain(certificate);
        } catch (GeneralSecurityException e) {
            return Verdict.drop(
                    Reason.UNTRUSTED_CERTIFICATE, "certificate " + subject + " is not trusted: " + e.getMessage());
        }
        ObjectNode signed = ((ObjectNode) envelope).deepCopy();
        signed.remove(List.of("signature", "certificate"));
        byte[] text;
        try {
            text = CanonicalJson.encode(signed).getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Verdict.drop(
                    Reason.BAD_SIGNATURE, "cannot re-encode the message exactly as it was signed: " + e.getMessage());
        }
        if (!verifies(certificate, text, signature)) {
            return Verdict.drop(
                    Reason.BAD_SIGNATURE,
                    "signature by " + subject
                            + " does not match the message (changed after signing, or signed with another key)");
        }
        String topic = envelope.path("topic").asText(null);
        if (!frameTopic.equals(topic)) {
            return Verdict.drop(
                    Reason.BAD_SIGNATURE, "topic frame `" + frameTopic + "` is not the signed topic `" + topic + "`");
        }
        String name = commonName(certificate);
        List<String> allowed = routingPolicy.get(topic);
        if (allowed != null && !allowed.contains(name)) {
            return Verdict.drop(
                    Reason.ROUTING_POLICY,
                    "certificate `" + name + "` may not send `" + topic + "`; routingPolicy allows " + allowed);
        }
        if (allowed == null && nitpicky) {
            return Verdict.drop(
                    Reason.ROUTING_POLICY,
                    "no routingPolicy entry for `" + topic + "` (signed by `" + name
                            + "`) and routingNitpicky is true");
        }
        return Verdict.accept(name);
    }

    private void checkChain(X509Certificate certificate) throws GeneralSecurityException {
        PKIXParameters parameters = new PKIXParameters(anchors);
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(clock.instant()));
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(List.of(certificate)), parameters);
    }

    private static boolean verifies(X509Certificate certificate, byte[] text, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("SHA1withRSA");
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(text);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // a key that is not RSA, a signature of the wrong length: no valid signature either way
            return false;
        }
    }

    /**
     * fedmsg's "name" of the sender: the subject's CN, the first in certificate order were there
     * several (as fedmsg takes {@code get_attributes_for_oid(COMMON_NAME)[0]}); LdapName lists
     * RDNs in that order.
     */
    static String commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            // the JDK printed it; it parses
        }
        return "";
    }
}
