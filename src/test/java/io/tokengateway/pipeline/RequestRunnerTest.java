package io.tokengateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.Rejection;
import io.tokengateway.flow.Step;
import io.tokengateway.flow.StepResult;
import io.tokengateway.flow.testkit.ExchangeBuilder;
import io.vertx.core.buffer.Buffer;

/** The runner alone, with steps written for the test: no Quarkus, no Redis, no upstream. */
class RequestRunnerTest {

    private static final GatewayResponse OK =
            GatewayResponse.passedThrough(200, java.util.Map.of(), Buffer.buffer("{}"));

    private final List<String> visits = new CopyOnWriteArrayList<>();
    private final RecordingAudit audit = new RecordingAudit();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void stepsRunInOrderOnTheWayInAndInReverseOnTheWayOut() {
        GatewayResponse response = run(step("a"), step("b"), answering("c", OK));

        assertEquals(200, response.status());
        assertEquals(List.of("a in", "b in", "c in", "c out", "b out", "a out"), visits);
    }

    @Test
    void aRejectionEndsTheWayInAndOnlyTheStepsBeforeItSeeTheWayOut() {
        Exchange exchange = ExchangeBuilder.readToken().build();
        GatewayResponse response = run(
                exchange,
                step("a"),
                rejecting("limit", GatewayError.RATE_LIMITED),
                step("never"),
                answering("forward", OK));

        assertEquals(429, response.status());
        assertEquals(List.of("a in", "limit in", "a out"), visits);
        assertEquals(
                new Rejection("limit", GatewayError.RATE_LIMITED),
                exchange.rejection().orElseThrow());
    }

    @Test
    void anAnswerEndsTheWayInAndTheAnswererSeesItsOwnAnswerOnTheWayOut() {
        GatewayResponse replay = GatewayResponse.passedThrough(201, java.util.Map.of(), Buffer.buffer("{\"r\":1}"));

        GatewayResponse response = run(step("a"), answering("replay", replay), step("never"));

        assertEquals(201, response.status());
        assertEquals(List.of("a in", "replay in", "replay out", "a out"), visits);
    }

    @Test
    void aStepThatThrowsIsA500WhoseNameIsRecordedAndTheStepsBeforeItStillSettle() {
        Exchange exchange = ExchangeBuilder.readToken().build();
        Step throwing = new NamedStep("broken", visits) {
            @Override
            public Uni<StepResult> onRequest(Exchange exchange) {
                throw new IllegalStateException("a bug");
            }
        };
        GatewayResponse response = run(exchange, step("a"), throwing, answering("forward", OK));

        assertEquals(500, response.status());
        assertEquals(List.of("a in", "a out"), visits);
        assertEquals(
                new Rejection("broken", GatewayError.INTERNAL_ERROR),
                exchange.rejection().orElseThrow());
        assertEquals(1, audit.records.size());
    }

    @Test
    void aStepThatFailsOnTheWayOutKeepsTheAnswerAndTheStepsBeforeItSettling() {
        Step failingOut = new NamedStep("b", visits) {
            @Override
            public Uni<GatewayResponse> onResponse(Exchange exchange, GatewayResponse response) {
                return Uni.createFrom().failure(new IllegalStateException("a bug on the way out"));
            }
        };
        GatewayResponse response = run(step("a"), failingOut, answering("c", OK));

        assertEquals(200, response.status());
        assertEquals(List.of("a in", "b in", "c in", "c out", "a out"), visits);
    }

    @Test
    void everyRequestIsAuditedExactlyOnceWithTheAnswerTheCallerGets() {
        Exchange exchange = ExchangeBuilder.readToken().build();
        GatewayResponse response = run(exchange, step("a"), answering("b", OK));

        assertEquals(List.of(exchange), audit.records);
        assertEquals(List.of(response), audit.responses);
        assertEquals(1L, registry.get("gateway.requests").timer().count());
    }

    @Test
    void aCallerThatHangsUpCancelsOnlyItsWaitTheStepsFinishAndTheRequestIsAudited() {
        // The last step holds the answer until the test releases it, as a slow provider would.
        var pending = new java.util.concurrent.atomic.AtomicReference<UniEmitter<? super StepResult>>();
        Step slow = new NamedStep("forward", visits) {
            @Override
            public Uni<StepResult> onRequest(Exchange exchange) {
                visits.add("forward in");
                return Uni.createFrom().<StepResult>emitter(pending::set);
            }
        };
        RequestRunner runner = runner(step("a"), slow);
        Exchange exchange = ExchangeBuilder.readToken().build();

        Cancellable caller = runner.handle(exchange).subscribe().with(response -> visits.add("caller got it"));
        caller.cancel(); // the caller hangs up while the provider works
        assertEquals(1, runner.inFlight());
        pending.get().complete(new StepResult.Answer(OK));

        assertEquals(List.of("a in", "forward in", "forward out", "a out"), visits);
        assertEquals(List.of(exchange), audit.records);
        assertEquals(0, runner.inFlight());
        assertTrue(runner.awaitNone(Duration.ZERO));
    }

    @Test
    void aGatewayThatCannotAuditDoesNotActAndAnswers503() {
        audit.accepting = false;
        Exchange exchange = ExchangeBuilder.readToken().build();

        GatewayResponse response = run(exchange, step("a"), answering("forward", OK));

        assertEquals(503, response.status());
        assertTrue(visits.isEmpty());
        assertEquals(
                new Rejection("audit", GatewayError.DEPENDENCY_UNAVAILABLE),
                exchange.rejection().orElseThrow());
    }

    @Test
    void aRecordThatCannotBeWrittenTurnsTheAnswerInto503() {
        audit.failWith = new IllegalStateException("sink down");

        GatewayResponse response = run(step("a"), answering("forward", OK));

        assertEquals(503, response.status());
        assertEquals(List.of("a in", "forward in", "forward out", "a out"), visits);
    }

    @Test
    void aChainWithoutAnAnsweringStepIsAWiringBugAnswered500() {
        GatewayResponse response = run(step("a"));

        assertEquals(500, response.status());
        assertFalse(audit.records.isEmpty());
    }

    private GatewayResponse run(Step... steps) {
        return run(ExchangeBuilder.readToken().build(), steps);
    }

    private GatewayResponse run(Exchange exchange, Step... steps) {
        // Every test step completes at once, so the answer is there when handle returns.
        var answer = new java.util.concurrent.atomic.AtomicReference<GatewayResponse>();
        runner(steps).handle(exchange).subscribe().with(answer::set);
        assertTrue(answer.get() != null, "the runner answered");
        return answer.get();
    }

    private RequestRunner runner(Step... steps) {
        return new RequestRunner(List.of(steps), audit, new RequestMetrics(registry));
    }

    private Step step(String name) {
        return new NamedStep(name, visits);
    }

    private Step answering(String name, GatewayResponse response) {
        return new NamedStep(name, visits, exchange -> new StepResult.Answer(response));
    }

    private Step rejecting(String name, GatewayError error) {
        return new NamedStep(name, visits, exchange -> new StepResult.Reject(error, "no"));
    }

    /** A step that writes down its visits and decides as it is told. */
    private static class NamedStep implements Step {
        private final String name;
        private final List<String> visits;
        private final Function<Exchange, StepResult> decision;

        NamedStep(String name, List<String> visits) {
            this(name, visits, exchange -> StepResult.CONTINUE);
        }

        NamedStep(String name, List<String> visits, Function<Exchange, StepResult> decision) {
            this.name = name;
            this.visits = visits;
            this.decision = decision;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Uni<StepResult> onRequest(Exchange exchange) {
            visits.add(name + " in");
            return Uni.createFrom().item(decision.apply(exchange));
        }

        @Override
        public Uni<GatewayResponse> onResponse(Exchange exchange, GatewayResponse response) {
            visits.add(name + " out");
            return Uni.createFrom().item(response);
        }
    }

    /** The audit trail as the runner sees it, kept in memory. */
    private static final class RecordingAudit implements RequestAudit {
        final List<Exchange> records = new CopyOnWriteArrayList<>();
        final List<GatewayResponse> responses = new CopyOnWriteArrayList<>();
        volatile boolean accepting = true;
        volatile RuntimeException failWith;

        @Override
        public boolean accepting() {
            return accepting;
        }

        @Override
        public Uni<Void> record(Exchange exchange, GatewayResponse response) {
            records.add(exchange);
            responses.add(response);
            return failWith == null
                    ? Uni.createFrom().voidItem()
                    : Uni.createFrom().failure(failWith);
        }
    }
}
