package io.tokengateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test CA and server certificates it signs, made with openssl (.ci/run installs it), for TLS Redis servers:
 * {@code ca.crt} to trust, and per server {@code <name>.crt} and {@code <name>.key}.
 */
public final class TestCertificates {

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** A new CA ({@code ca.crt}, {@code ca.key}) in {@code dir}. */
    public static TestCertificates ca(Path dir) {
        TestCertificates certificates = new TestCertificates(dir);
        certificates.openssl(
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=tokengateway-test-ca",
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt");
        return certificates;
    }

    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    public Path certificate(String name) {
        return dir.resolve(name + ".crt");
    }

    public Path key(String name) {
        return dir.resolve(name + ".key");
    }

    /**
     * A server certificate {@code <name>.crt} (key {@code <name>.key}) signed by the CA, for {@code subjectAltName}
     * (e.g. {@code DNS:localhost,IP:127.0.0.1}).
     */
    public TestCertificates server(String name, String subjectAltName) {
        try {
            Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + subjectAltName + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl(
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-subj",
                "/CN=" + name,
                "-keyout",
                name + ".key",
                "-out",
                name + ".csr");
        openssl(
                "x509",
                "-req",
                "-in",
                name + ".csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "1",
                "-extfile",
                name + ".ext",
                "-out",
                name + ".crt");
        return this;
    }

    /** redis-server arguments serving TLS only on {@code tlsPort} with {@code name}'s certificate, no client certificates. */
    public String[] redisTlsArgs(String name, int tlsPort) {
        return new String[] {
            "--tls-port",
            String.valueOf(tlsPort),
            "--tls-cert-file",
            certificate(name).toString(),
            "--tls-key-file",
            key(name).toString(),
            "--tls-ca-cert-file",
            caCertificate().toString(),
            "--tls-auth-clients",
            "no"
        };
    }

    private void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new UncheckedIOException(new IOException("openssl " + String.join(" ", args) + ":\n" + output));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
