package io.tokengateway.health;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;

/**
 * {@code gateway_tls_certificate_expiry_timestamp_seconds{tls_configuration}}: when the certificate the API port
 * serves expires (its NotAfter, in seconds since the epoch), for the certificate-expiry alert. Published only
 * when the API has a TLS configuration ({@code quarkus.http.tls-configuration-name}). Read from the named
 * configuration's key store at each scrape, so a certificate the TLS registry has reloaded is followed; the key
 * store is in memory, nothing is read from disk here. With several key entries (SNI) the earliest expiry counts.
 */
@ApplicationScoped
public class CertificateExpiry {

    private final TlsConfigurationRegistry registry;
    private final MeterRegistry meters;
    private final Optional<String> configurationName;

    CertificateExpiry(
            TlsConfigurationRegistry registry,
            MeterRegistry meters,
            @ConfigProperty(name = "quarkus.http.tls-configuration-name") Optional<String> configurationName) {
        this.registry = registry;
        this.meters = meters;
        this.configurationName = configurationName;
    }

    void register(@Observes StartupEvent started) {
        configurationName.ifPresent(name -> Gauge.builder(
                        "gateway.tls.certificate.expiry.timestamp.seconds", this, expiry -> expiry.notAfter(name))
                .description("NotAfter of the certificate the API port serves, in seconds since the epoch")
                .tag("tls_configuration", name)
                .strongReference(true)
                .register(meters));
    }

    /** The earliest NotAfter of the leaf certificates in the configuration's key store; NaN when there is none. */
    double notAfter(String name) {
        KeyStore keyStore =
                registry.get(name).map(TlsConfiguration::getKeyStore).orElse(null);
        if (keyStore == null) {
            return Double.NaN;
        }
        try {
            double earliest = Double.NaN;
            for (String alias : Collections.list(keyStore.aliases())) {
                Certificate leaf = keyStore.isKeyEntry(alias) ? firstOf(keyStore.getCertificateChain(alias)) : null;
                if (leaf instanceof X509Certificate x509) {
                    double seconds = x509.getNotAfter().getTime() / 1000.0;
                    earliest = Double.isNaN(earliest) ? seconds : Math.min(earliest, seconds);
                }
            }
            return earliest;
        } catch (KeyStoreException e) {
            return Double.NaN; // not loaded: nothing to report rather than a failed scrape
        }
    }

    private static Certificate firstOf(Certificate[] chain) {
        return chain == null || chain.length == 0 ? null : chain[0];
    }
}
