package org.fedoraproject.releng.workflow.messaging.fedmsg;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.fedoraproject.releng.workflow.messaging.PemFiles;

/**
 * fedmsg's {@code x509} signing: {@code crypto} is set first (it is part of what is signed), the
 * canonical JSON of the envelope is signed with RSA PKCS#1 v1.5 over SHA-1, and {@code signature}
 * and {@code certificate} (the host certificate's PEM) are added as base64 cut into 76-character
 * lines, the layout fedmsg kept from its M2Crypto days.
 */
public final class X509Signer {

    private static final int LINE = 76;

    private final PrivateKey key;
    private final String certificateField;

    public X509Signer(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificateField = wrap(Base64.getEncoder().encodeToString(pem(certificate)));
        checkKeyMatches(certificate);
    }

    /** Reads the PEM certificate and the unencrypted PEM RSA key (PKCS#1 or PKCS#8). */
    public static X509Signer fromFiles(Path certFile, Path keyFile) {
        return new X509Signer(
                PemFiles.privateKey(keyFile, "messaging.fedmsg.sign.keyFile"),
                PemFiles.certificates(certFile, "messaging.fedmsg.sign.certFile")
                        .get(0));
    }

    /** A signed copy of {@code envelope}; any old signature fields are replaced. */
    public ObjectNode sign(ObjectNode envelope) {
        ObjectNode signed = envelope.deepCopy();
        signed.remove("signature");
        signed.remove("certificate");
        signed.put("crypto", "x509");
        byte[] text = CanonicalJson.encode(signed).getBytes(StandardCharsets.UTF_8);
        signed.put("signature", wrap(Base64.getEncoder().encodeToString(rsaSha1(text))));
        signed.put("certificate", certificateField);
        return signed;
    }

    private byte[] rsaSha1(byte[] data) {
        try {
            Signature signature = Signature.getInstance("SHA1withRSA");
            signature.initSign(key);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign fedmsg message: " + e.getMessage(), e);
        }
    }

    private void checkKeyMatches(X509Certificate certificate) {
        byte[] probe = "fedmsg key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature verifier = Signature.getInstance("SHA1withRSA");
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(rsaSha1(probe))) {
                throw new IllegalArgumentException("messaging.fedmsg.sign: keyFile does not belong to certFile ("
                        + certificate.getSubjectX500Principal() + ")");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "messaging.fedmsg.sign: certificate key is not RSA: " + e.getMessage(), e);
        }
    }

    /** PEM text as Python's cryptography writes it: 64-character base64 lines, final newline. */
    private static byte[] pem(X509Certificate certificate) {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            return ("-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n")
                    .getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot encode certificate: " + e.getMessage(), e);
        }
    }

    static String wrap(String base64) {
        StringBuilder out = new StringBuilder(base64.length() + base64.length() / LINE + 1);
        for (int i = 0; i < base64.length(); i += LINE) {
            out.append(base64, i, Math.min(base64.length(), i + LINE)).append('\n');
        }
        return out.toString();
    }
}
