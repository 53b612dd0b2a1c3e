package io.tokengateway.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a {@link RedisServer} field of a test class to receive the test run's Redis server. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectRedisServer {
    /** The server a test profile started with a password, rather than the test run's open one. */
    boolean requiringPassword() default false;
}
