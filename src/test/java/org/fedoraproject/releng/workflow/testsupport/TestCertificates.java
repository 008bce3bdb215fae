package org.fedoraproject.releng.workflow.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority made with the real {@code openssl} command, for signing
 * and TLS tests. Keys are RSA 2048, certificates valid for two days.
 */
public final class TestCertificates {

    private final Path dir;
    private final Path caCert;
    private final Path caKey;

    /** A certificate and its key, both PEM files. */
    public record Issued(Path cert, Path key) {}

    private TestCertificates(Path dir, String name) {
        this.dir = dir;
        this.caCert = dir.resolve(name + "-ca.crt");
        this.caKey = dir.resolve(name + "-ca.key");
    }

    /** Creates a self-signed CA named {@code name} in {@code dir}. */
    public static TestCertificates newAuthority(Path dir, String name) {
        TestCertificates ca = new TestCertificates(dir, name);
        openssl(
                dir,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-keyout",
                ca.caKey.toString(),
                "-out",
                ca.caCert.toString(),
                "-subj",
                "/CN=" + name + " CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign");
        return ca;
    }

    public Path caCert() {
        return caCert;
    }

    /**
     * Issues a certificate for {@code commonName}, valid for localhost and 127.0.0.1 too; the key
     * is written in the traditional PKCS#1 form ({@code BEGIN RSA PRIVATE KEY}) that fedmsg hosts
     * use, or PKCS#8 when {@code pkcs8}.
     */
    public Issued issue(String commonName, boolean pkcs8) {
        String base = commonName.replaceAll("[^A-Za-z0-9.-]", "_");
        Path key = dir.resolve(base + ".key");
        Path csr = dir.resolve(base + ".csr");
        Path cert = dir.resolve(base + ".crt");
        Path ext = dir.resolve(base + ".ext");
        List<String> genrsa = new ArrayList<>(List.of("genrsa", "-out", key.toString()));
        if (!pkcs8) {
            genrsa.add(1, "-traditional");
        }
        genrsa.add("2048");
        openssl(dir, genrsa.toArray(String[]::new));
        openssl(dir, "req", "-new", "-key", key.toString(), "-subj", "/CN=" + commonName, "-out", csr.toString());
        write(
                ext,
                "basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n"
                        + "extendedKeyUsage=serverAuth,clientAuth\n");
        openssl(
                dir,
                "x509",
                "-req",
                "-in",
                csr.toString(),
                "-CA",
                caCert.toString(),
                "-CAkey",
                caKey.toString(),
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                ext.toString(),
                "-out",
                cert.toString());
        return new Issued(cert, key);
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void openssl(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("openssl failed (apt-get install -y openssl): " + command + "\n" + output);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run openssl (apt-get install -y openssl): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
