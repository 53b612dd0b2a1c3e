package io.tokengateway.masking;

import java.util.List;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.tokengateway.config.GatewayConfig;

/** The application's {@link SensitiveTextMasker}, knowing every configured merchant password. */
public class MaskerProducer {

    @Produces
    @Singleton
    SensitiveTextMasker masker(GatewayConfig config) {
        List<String> passwords = config.merchants().values().stream()
                .map(GatewayConfig.MerchantConfig::password)
                .toList();
        return new SensitiveTextMasker(passwords);
    }
}
