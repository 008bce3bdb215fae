package org.fedoraproject.releng.workflow.messaging;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads the PEM files that bus credentials come in (certificates, unencrypted RSA or EC keys in
 * PKCS#1 or PKCS#8 form). {@code key} names the configuration key in error messages.
 */
public final class PemFiles {

    private PemFiles() {}

    /** Every certificate in the file, in order; at least one. */
    public static List<X509Certificate> certificates(Path file, String key) {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try {
            for (Object pem : readAll(file, key)) {
                if (pem instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(key + " " + file + ": " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(key + " " + file + ": no PEM certificate (BEGIN CERTIFICATE) found");
        }
        return certificates;
    }

    public static PrivateKey privateKey(Path file, String key) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            for (Object pem : readAll(file, key)) {
                if (pem instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (pem instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(key + " " + file + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(key + " " + file
                + ": expected an unencrypted PEM private key (BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)");
    }

    private static List<Object> readAll(Path file, String key) {
        List<Object> objects = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            for (Object pem = parser.readObject(); pem != null; pem = parser.readObject()) {
                objects.add(pem);
            }
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException(key + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
