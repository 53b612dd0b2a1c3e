package io.tokengateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokengateway.testing.FreePort;
import io.tokengateway.testing.Metrics;
import io.tokengateway.testing.Tokens;

/**
 * The API over TLS only, as the central overlay runs it: certificate and key from PEM files in a directory laid
 * out as the kubelet mounts a {@code kubernetes.io/tls} Secret, plain HTTP off. A renewed certificate (the
 * Secret's files swapped on disk) is served without a restart, and the certificate-expiry metric follows it; health
 * and metrics stay plain HTTP on the management port.
 */
@QuarkusTest
@TestProfile(ApiTlsTest.TlsOnly.class)
class ApiTlsTest {

    public static class TlsOnly implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(MountedCertificate.class));
        }
    }

    /**
     * A certificate made with the JDK's keytool, written as a Secret volume looks: {@code tls.crt} and
     * {@code tls.key} are links through {@code ..data}, which a renewal re-points in one rename.
     */
    public static class MountedCertificate implements QuarkusTestResourceLifecycleManager {
        private Path mount;

        @Override
        public Map<String, String> start() {
            try {
                mount = Files.createTempDirectory("tokengateway-tls");
                mountCertificate(mount, "gateway-one", 2);
                Files.createSymbolicLink(mount.resolve("tls.crt"), Path.of("..data/tls.crt"));
                Files.createSymbolicLink(mount.resolve("tls.key"), Path.of("..data/tls.key"));
                return Map.of(
                        "quarkus.tls.api.key-store.pem.0.cert",
                        mount.resolve("tls.crt").toString(),
                        "quarkus.tls.api.key-store.pem.0.key",
                        mount.resolve("tls.key").toString(),
                        "quarkus.tls.api.reload-period",
                        "1s",
                        "quarkus.http.tls-configuration-name",
                        "api",
                        "quarkus.http.insecure-requests",
                        "disabled",
                        "quarkus.http.test-ssl-port",
                        "0",
                        // a known port, so the test can see nothing listens there
                        "quarkus.http.test-port",
                        String.valueOf(FreePort.pick()),
                        "tls-test.mount",
                        mount.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Removes the test's keys: links first, then the files they point to. */
        @Override
        public void stop() {
            if (mount == null) {
                return;
            }
            try (var files = Files.walk(mount)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a leftover temp directory harms nothing
            }
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @TestHTTPResource(value = "/health/live", management = true)
    URL live;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @ConfigProperty(name = "quarkus.http.test-port")
    int plainPort;

    @ConfigProperty(name = "tls-test.mount")
    Path mount;

    @Test
    void theApiAnswersOverHttpsAndPlainHttpIsOff() throws Exception {
        X509Certificate served = servedCertificate();
        assertTrue(served.getSubjectX500Principal().getName().startsWith("CN=gateway-"), "the mounted certificate");
        HttpResponse<String> read = readToken(trusting(served));
        assertEquals(200, read.statusCode(), read.body());

        assertThrows(
                ConnectException.class,
                () -> new Socket(InetAddress.getLoopbackAddress(), plainPort).close(),
                "no plain HTTP listener");
        // Plain HTTP sent to the TLS port gets no HTTP answer.
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), https.getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /customer-token/v1/tokens/kct-1 HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readNBytes(5), StandardCharsets.ISO_8859_1);
            assertFalse(answer.startsWith("HTTP/"), "plain HTTP was answered: " + answer);
        } catch (IOException closed) {
            // the server dropped the connection: refused, as it should be
        }
        // Health for the kubelet's probes stays plain HTTP on the management port.
        HttpResponse<String> health = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(live.toURI()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestart() throws Exception {
        X509Certificate first = servedCertificate();
        assertEquals(first.getNotAfter().getTime() / 1000.0, expiryMetric(), 0.5, "the served certificate's NotAfter");
        // A longer validity than the first, so the renewal shows in the expiry metric.
        mountCertificate(mount, "gateway-two", 30);
        // The TLS registry reads the files again every reload period (1 s here).
        // A handshake that meets Vert.x while it swaps the server's SSL context fails once (seen in a full run:
        // "Remote host terminated the handshake", the new context not yet in place); a client retries, so does the
        // poll.
        X509Certificate renewed = Awaitility.await("the renewed certificate served")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(java.io.IOException.class)
                .until(
                        this::servedCertificate,
                        c -> c.getSubjectX500Principal().getName().equals("CN=gateway-two"));
        HttpResponse<String> read = readToken(trusting(renewed));
        assertEquals(200, read.statusCode(), read.body());
        // The certificate-expiry alert's metric follows the renewal (read from the reloaded key store).
        double renewedNotAfter = renewed.getNotAfter().getTime() / 1000.0;
        assertTrue(renewedNotAfter > first.getNotAfter().getTime() / 1000.0 + 86400);
        Awaitility.await("the expiry metric follows the renewal")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(this::expiryMetric, value -> Math.abs(value - renewedNotAfter) < 0.5);
    }

    /** {@code gateway_tls_certificate_expiry_timestamp_seconds} from the management port's scrape. */
    double expiryMetric() {
        String prefix = "gateway_tls_certificate_expiry_timestamp_seconds{tls_configuration=\"api\"} ";
        return Metrics.scrape(metrics)
                .lines()
                .filter(line -> line.startsWith(prefix))
                .mapToDouble(line ->
                        Double.parseDouble(line.substring(prefix.length()).trim()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix.trim() + " in the scrape"));
    }

    /** The certificate the API port presents, read with a socket that trusts anything (only to look at it). */
    X509Certificate servedCertificate() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new LookOnly()}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", https.getPort())) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    HttpResponse<String> readToken(SSLContext trust) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trust).build();
        return client.send(
                HttpRequest.newBuilder(URI.create(
                                "https://localhost:" + https.getPort() + "/customer-token/v1/tokens/kct-tls-1"))
                        .header("Authorization", "Bearer " + Tokens.forCaller("orders-team"))
                        .header("X-Merchant-Id", "main-shop")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A client that trusts exactly this certificate, and checks the host name against it. */
    static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("gateway", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /**
     * Writes a new self-signed certificate for {@code localhost} into a fresh directory of {@code mount} and points
     * {@code ..data} at it in one rename, as the kubelet updates a Secret volume.
     */
    static void mountCertificate(Path mount, String commonName, int validityDays) {
        try {
            Path version = Files.createTempDirectory(mount, ".." + commonName + "-");
            Path store = version.resolve("keystore.p12");
            Process keytool = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "keytool")
                                    .toString(),
                            "-genkeypair",
                            "-alias",
                            "api",
                            "-keyalg",
                            "RSA",
                            "-keysize",
                            "2048",
                            "-dname",
                            "CN=" + commonName,
                            "-ext",
                            "SAN=dns:localhost,ip:127.0.0.1",
                            "-validity",
                            String.valueOf(validityDays),
                            "-storetype",
                            "PKCS12",
                            "-keystore",
                            store.toString(),
                            "-storepass",
                            "test-only",
                            "-keypass",
                            "test-only")
                    .redirectErrorStream(true)
                    .start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keyStore.load(in, "test-only".toCharArray());
            }
            Files.delete(store);
            Files.writeString(
                    version.resolve("tls.crt"),
                    pem("CERTIFICATE", keyStore.getCertificate("api").getEncoded()));
            Files.writeString(
                    version.resolve("tls.key"),
                    pem(
                            "PRIVATE KEY",
                            keyStore.getKey("api", "test-only".toCharArray()).getEncoded()));
            Path link = mount.resolve("..data_tmp");
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, version.getFileName());
            Files.move(link, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Accepts any server certificate: used only to read which one is served, never to send a request. */
    static final class LookOnly implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
