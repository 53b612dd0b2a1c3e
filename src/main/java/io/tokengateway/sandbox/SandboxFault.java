package io.tokengateway.sandbox;

import java.time.Duration;

/**
 * A misbehaviour the simulator applies to one upcoming request, for tests of the gateway's resilience.
 *
 * @param delay  wait this long before answering (or dropping)
 * @param status answer with this status and a provider error body instead of the normal answer; 0 for the normal answer
 * @param dropConnection close the connection without answering
 * @param body   the body of the injected answer; null for a provider error body
 */
public record SandboxFault(Duration delay, int status, boolean dropConnection, String body) {

    public static SandboxFault status(int status) {
        return new SandboxFault(Duration.ZERO, status, false, null);
    }

    /** Answers with this status and exactly this JSON body. */
    public static SandboxFault answer(int status, String body) {
        return new SandboxFault(Duration.ZERO, status, false, body);
    }

    public static SandboxFault delay(Duration delay) {
        return new SandboxFault(delay, 0, false, null);
    }

    public static SandboxFault closeConnection() {
        return new SandboxFault(Duration.ZERO, 0, true, null);
    }
}
