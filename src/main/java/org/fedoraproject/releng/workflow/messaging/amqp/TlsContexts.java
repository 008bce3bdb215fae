package org.fedoraproject.releng.workflow.messaging.amqp;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.fedoraproject.releng.workflow.config.AmqpConfig;
import org.fedoraproject.releng.workflow.messaging.PemFiles;

/** Builds the SSLContext for {@code messaging.amqp.tls} from PEM files, as fedora-messaging takes them. */
final class TlsContexts {

    private static final char[] IN_MEMORY = new char[0];

    private TlsContexts() {}

    static SSLContext fromPem(AmqpConfig.Tls tls) {
        return fromPem(tls, "messaging.amqp.tls");
    }

    static SSLContext fromPem(AmqpConfig.Tls tls, String setting) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (tls.caFile() != null) {
                KeyStore roots = emptyStore();
                List<X509Certificate> cas = PemFiles.certificates(tls.caFile(), setting + ".caFile");
                for (int i = 0; i < cas.size(); i++) {
                    roots.setCertificateEntry("ca-" + i, cas.get(i));
                }
                trust.init(roots);
            } else {
                trust.init((KeyStore) null);
            }
            KeyManagerFactory keys = null;
            if (tls.certFile() != null) {
                List<X509Certificate> chain = PemFiles.certificates(tls.certFile(), setting + ".certFile");
                PrivateKey key = PemFiles.privateKey(tls.keyFile(), setting + ".keyFile");
                KeyStore store = emptyStore();
                store.setKeyEntry("client", key, IN_MEMORY, chain.toArray(X509Certificate[]::new));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, IN_MEMORY);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(setting + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }
}
