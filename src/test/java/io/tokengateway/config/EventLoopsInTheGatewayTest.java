package io.tokengateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.StreamSupport;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;

/** The running gateway has one event loop per core: the config source is registered and Quarkus honours it. */
@QuarkusTest
class EventLoopsInTheGatewayTest {

    @Inject
    Vertx vertx;

    @Test
    void oneEventLoopPerAvailableCore() {
        long loops = StreamSupport.stream(
                        ((VertxInternal) vertx).getEventLoopGroup().spliterator(), false)
                .count();
        assertEquals(Runtime.getRuntime().availableProcessors(), loops);
    }
}
