package com.neurocred.backup.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The files TLS to PostgreSQL is given, the same to libpq (pg_dump, psql ...) and to JDBC so both trust
 * and present the same certificates.
 *
 * @param rootCert   PEM file of the CAs trusted to sign the server's certificate ({@code DB_SSLROOTCERT})
 * @param clientCert PEM client certificate for {@code cert} authentication ({@code DB_SSLCERT})
 * @param clientKey  its unencrypted private key; only its path is ever shown ({@code DB_SSLKEY})
 */
public record TlsFiles(Optional<Path> rootCert, Optional<Path> clientCert, Optional<Path> clientKey) {

    public static final TlsFiles NONE = new TlsFiles(Optional.empty(), Optional.empty(), Optional.empty());

    public boolean hasClientCertificate() {
        return clientCert.isPresent();
    }

    @Override
    public String toString() {
        return "TlsFiles[rootCert=" + rootCert.map(Path::toString).orElse("none")
                + ", clientCert=" + clientCert.map(Path::toString).orElse("none")
                + ", clientKey=" + clientKey.map(Path::toString).orElse("none") + "]";
    }
}
