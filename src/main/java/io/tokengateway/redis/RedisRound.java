package io.tokengateway.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.tokengateway.flow.Admission;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.PartOutcome;
import io.tokengateway.flow.RoundParticipant;
import io.tokengateway.flow.ScriptCall;
import io.tokengateway.flow.ScriptPart;
import io.tokengateway.flow.Step;
import io.tokengateway.flow.StepResult;

/**
 * The runtime of the Redis rounds: the step, placed before the first {@link RoundParticipant}, that makes the
 * request's two round trips to Redis for all of them, one before the upstream call and one after. On the way in
 * it asks every participant for its call and runs them as one atomic script, in step order, each part able to
 * end the round (a rate limit reached, a key already held); the participants then decide, each at its own place
 * in the pipeline, from the {@link Admission} it established. On the way out, after every participant has seen
 * the response, it runs their settlements as one script and tells each what its own came to.
 *
 * <p>It never decides anything itself: a failed round is established as such, and each participant applies
 * its own failure policy to it. When the admission round failed, the settlement round is sent without the
 * answer waiting for it: Redis was failing a moment ago, and the answer must not wait for a second timeout.
 */
public final class RedisRound implements Step {

    private static final Logger LOG = Logger.getLogger(RedisRound.class);

    private final RedisScripts redis;
    private final List<RoundParticipant> participants;
    private final LuaScript script;

    /** {@code participants} in the order their parts run, which is the order of their steps. */
    public RedisRound(RedisScripts redis, List<? extends RoundParticipant> participants) {
        this.redis = redis;
        this.participants = List.copyOf(participants);
        List<ScriptPart> parts = new ArrayList<>();
        for (RoundParticipant participant : participants) {
            parts.addAll(participant.scriptParts());
        }
        this.script = LuaScript.round(parts);
    }

    /**
     * {@code steps} with the rounds placed before the first {@link RoundParticipant} among them, for every
     * participant in the list, in its order: the steps before it have run when the participants are asked for
     * their calls. {@code steps} unchanged when none takes part.
     */
    public static List<Step> placedIn(List<Step> steps, RedisScripts redis) {
        List<RoundParticipant> participants = new ArrayList<>();
        int first = -1;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof RoundParticipant participant) {
                first = first < 0 ? i : first;
                participants.add(participant);
            }
        }
        if (participants.isEmpty()) {
            return List.copyOf(steps);
        }
        List<Step> placed = new ArrayList<>(steps);
        placed.add(first, new RedisRound(redis, participants));
        return List.copyOf(placed);
    }

    @Override
    public String name() {
        return "redis-round";
    }

    @Override
    public Uni<StepResult> onRequest(Exchange exchange) {
        List<ScriptCall> calls = new ArrayList<>(participants.size());
        for (RoundParticipant participant : participants) {
            participant.admission(exchange).ifPresent(calls::add);
        }
        if (calls.isEmpty()) {
            return StepResult.proceed();
        }
        long start = System.nanoTime();
        return redis.admit(script, calls)
                .map(round -> Admission.answered(calls, round.parts(), round.replicas(), System.nanoTime() - start))
                .onFailure(RuntimeException.class)
                .recoverWithItem(
                        failure -> Admission.unanswered(calls, (RuntimeException) failure, System.nanoTime() - start))
                .map(round -> {
                    exchange.establish(Admission.FACT, round);
                    return StepResult.CONTINUE;
                });
    }

    @Override
    public Uni<GatewayResponse> onResponse(Exchange exchange, GatewayResponse response) {
        List<RoundParticipant> settling = new ArrayList<>(participants.size());
        List<ScriptCall> calls = new ArrayList<>(participants.size());
        for (int i = participants.size() - 1; i >= 0; i--) {
            RoundParticipant participant = participants.get(i);
            settlementOf(participant, exchange, response).ifPresent(call -> {
                settling.add(participant);
                calls.add(call);
            });
        }
        if (calls.isEmpty()) {
            return Uni.createFrom().item(response);
        }
        Uni<Void> settled = redis.settle(script, calls)
                .onItemOrFailure()
                .invoke((round, failure) -> {
                    for (int i = 0; i < settling.size(); i++) {
                        tell(settling.get(i), exchange, outcomeOf(round, failure, i));
                    }
                })
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
        boolean admissionFailed =
                exchange.fact(Admission.FACT).map(round -> !round.answered()).orElse(false);
        if (admissionFailed) {
            settled.subscribe().with(done -> {}, failure -> {});
            return Uni.createFrom().item(response);
        }
        return settled.replaceWith(response);
    }

    /** A participant's bookkeeping failing must not keep the others from theirs. */
    private static void tell(RoundParticipant participant, Exchange exchange, PartOutcome outcome) {
        guarded(participant, exchange, () -> {
            participant.settled(exchange, outcome);
            return outcome;
        });
    }

    private static PartOutcome outcomeOf(RedisScripts.RoundOutcome round, Throwable failure, int index) {
        if (failure != null) {
            return new PartOutcome.Failed(
                    failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure));
        }
        return round.parts().get(index);
    }

    /** One participant failing to say what it settles must not keep the others from settling theirs. */
    private static Optional<ScriptCall> settlementOf(
            RoundParticipant participant, Exchange exchange, GatewayResponse response) {
        return guarded(participant, exchange, () -> participant.settlement(exchange, response))
                .flatMap(call -> call);
    }

    /** Runs one participant's callback; an exception is logged (its class only) and gives nothing. */
    private static <T> Optional<T> guarded(RoundParticipant participant, Exchange exchange, Supplier<T> callback) {
        try {
            return Optional.of(callback.get());
        } catch (RuntimeException e) {
            LOG.errorf(
                    "Settling %s failed unexpectedly (correlation id %s): %s",
                    participant.getClass().getSimpleName(),
                    exchange.correlationId(),
                    e.getClass().getName());
            return Optional.empty();
        }
    }
}
