package io.tokengateway.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;

/**
 * Not ready until the API port accepts: the management interface can answer probes before the API
 * server listens, and a replica added to the Service then would refuse its first connections. Quarkus
 * announces the listening server with an asynchronous event.
 */
@Readiness
@ApplicationScoped
public class ApiPortReadiness implements HealthCheck {

    private volatile boolean accepting;

    void http(@ObservesAsync HttpServerStart started) {
        accepting = true;
    }

    void https(@ObservesAsync HttpsServerStart started) {
        accepting = true;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("api-port").status(accepting).build();
    }
}
