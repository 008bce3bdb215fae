package org.fedoraproject.releng.workflow.messaging.fedmsg;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

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
        return new X509Signer(readKey(keyFile), readCertificate(certFile));
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
            throw new IllegalArgumentException("messaging.fedmsg.sign: certificate key is not RSA: " + e.getMessage(), e);
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

    private static X509Certificate readCertificate(Path file) {
        Object pem = readPem(file, "certFile");
        if (!(pem instanceof X509CertificateHolder holder)) {
            throw new IllegalArgumentException("messaging.fedmsg.sign.certFile " + file + ": no PEM certificate found");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("messaging.fedmsg.sign.certFile " + file + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey readKey(Path file) {
        Object pem = readPem(file, "keyFile");
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (pem instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (pem instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("messaging.fedmsg.sign.keyFile " + file + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("messaging.fedmsg.sign.keyFile " + file
                + ": expected an unencrypted PEM private key (BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)");
    }

    private static Object readPem(Path file, String key) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            return parser.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException("messaging.fedmsg.sign." + key + ": cannot read " + file, e);
        }
    }
}
