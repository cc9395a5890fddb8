package com.neurocred.backup.postgres;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Reads the certificate a PostgreSQL server presents, to say in an error what it is (its names and issuer)
 * when verification refused it. It speaks PostgreSQL's SSLRequest, completes a handshake that accepts any
 * certificate, and closes the connection: nothing (no user, no password) is ever sent over it. What it returns
 * was written by whoever answers on that port and goes into alerts: it is shortened and stripped of control
 * characters. Package-private, so nothing else picks up a handshake that trusts anything.
 */
final class ServerCertificateProbe {
    /** PostgreSQL's SSLRequest code (1234 in the high 16 bits, 5679 in the low). */
    private static final int SSL_REQUEST = 80877103;
    private static final int MAX_NAMES = 10;
    private static final int MAX_TEXT = 200;

    private ServerCertificateProbe() {
    }

    /** The server's own certificate, or empty when it cannot be read (no TLS, unreachable, timeout). */
    static Optional<PresentedCertificate> read(String host, int port, Duration timeout) {
        int millis = (int) timeout.toMillis();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), millis);
            plain.setSoTimeout(millis);
            DataOutputStream out = new DataOutputStream(plain.getOutputStream());
            out.writeInt(8);
            out.writeInt(SSL_REQUEST);
            out.flush();
            InputStream in = plain.getInputStream();
            if (in.read() != 'S') {
                return Optional.empty();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AcceptAnyToRead()}, null);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
                tls.startHandshake();
                Certificate[] chain = tls.getSession().getPeerCertificates();
                return chain.length > 0 && chain[0] instanceof X509Certificate leaf
                        ? Optional.of(PresentedCertificate.of(leaf)) : Optional.empty();
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * What a certificate says about itself.
     *
     * @param names   DNS names and IP addresses of subjectAltName, else the subject's CN (what clients match)
     */
    record PresentedCertificate(String subject, String issuer, List<String> names) {

        static PresentedCertificate of(X509Certificate certificate) {
            return new PresentedCertificate(printable(certificate.getSubjectX500Principal().getName()),
                    printable(certificate.getIssuerX500Principal().getName()),
                    names(certificate).stream().limit(MAX_NAMES).map(ServerCertificateProbe::printable).toList());
        }

        private static List<String> names(X509Certificate certificate) {
            Set<String> names = new LinkedHashSet<>();
            try {
                Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
                if (alternatives != null) {
                    for (List<?> entry : alternatives) {
                        int type = (Integer) entry.get(0);
                        if (type == 2 || type == 7) {
                            names.add(String.valueOf(entry.get(1)));
                        }
                    }
                }
            } catch (CertificateParsingException e) {
                // Fall back to the CN below.
            }
            if (names.isEmpty()) {
                commonName(certificate).ifPresent(names::add);
            }
            return new ArrayList<>(names);
        }

        private static Optional<String> commonName(X509Certificate certificate) {
            try {
                for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                    if ("CN".equalsIgnoreCase(rdn.getType())) {
                        return Optional.of(String.valueOf(rdn.getValue()));
                    }
                }
            } catch (InvalidNameException e) {
                // No CN to show.
            }
            return Optional.empty();
        }
    }

    static String printable(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= MAX_TEXT ? clean : clean.substring(0, MAX_TEXT) + "...";
    }

    /** Accepts any chain: used only to read the certificate for a message, never to talk to the server. */
    private static final class AcceptAnyToRead implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
