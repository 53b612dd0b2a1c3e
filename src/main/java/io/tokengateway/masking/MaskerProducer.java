package io.tokengateway.masking;

import java.util.List;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.tokengateway.config.PolicyConfig;

/** The application's {@link SensitiveTextMasker}, knowing every merchant password of the static configuration. */
public class MaskerProducer {

    @Produces
    @Singleton
    SensitiveTextMasker masker(PolicyConfig config) {
        // Passwords read from files later (and rotated ones) are learnt by every masker: SensitiveTextMasker.learn.
        List<String> passwords = config.merchants().values().stream()
                .flatMap(merchant -> merchant.password().stream())
                .toList();
        return new SensitiveTextMasker(passwords);
    }
}
