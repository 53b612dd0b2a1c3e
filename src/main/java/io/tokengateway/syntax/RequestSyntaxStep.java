package io.tokengateway.syntax;

import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayRequest;
import io.tokengateway.flow.Step;
import io.tokengateway.flow.StepResult;
import io.tokengateway.idempotency.IdempotencyKey;

/**
 * Request syntax, the cheapest check: is the request well-formed on its face? The customer token in the path and the
 * gateway's own headers must match their syntax before anything else looks at them, so that no later
 * step, log line or upstream URL ever sees a token with an encoded separator or a header with
 * control characters.
 */
@Singleton
public class RequestSyntaxStep implements Step {

    /** The provider's token syntax; {@code ..} is refused separately so no token can look like a path segment. */
    static final Pattern CUSTOMER_TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._-]{0,127}");

    static final Pattern CORRELATION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    static final Pattern MERCHANT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    @Override
    public String name() {
        return "syntax";
    }

    @Override
    public Uni<StepResult> onRequest(Exchange exchange) {
        GatewayRequest request = exchange.request();
        if (!isCustomerToken(request.customerToken())) {
            return badRequest("The customer token in the path is malformed.");
        }
        // The router decodes, normalises and strips matrix parameters: only the canonical form itself is accepted,
        // so "/../", "//", "%2e" or ";jsessionid" can never stand for another path than the one checked.
        if (!request.operation().path(request.customerToken()).equals(request.rawPath())) {
            return badRequest(
                    "The request path must be exactly the operation's path: no encoding, dot segments or parameters.");
        }
        if (request.correlationIdHeader() != null && !isCorrelationId(request.correlationIdHeader())) {
            return badRequest("X-Correlation-Id must be 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'.");
        }
        if (request.merchantId() != null
                && !MERCHANT_ID.matcher(request.merchantId()).matches()) {
            return badRequest("X-Merchant-Id is malformed.");
        }
        if (request.idempotencyKey() != null && !IdempotencyKey.isWellFormed(request.idempotencyKey())) {
            return StepResult.reject(
                    GatewayError.BAD_IDEMPOTENCY_KEY,
                    "Klarna-Idempotency-Key must be 1-" + IdempotencyKey.MAX_LENGTH + " printable ASCII characters.");
        }
        return StepResult.proceed();
    }

    public static boolean isCustomerToken(String token) {
        return token != null && CUSTOMER_TOKEN.matcher(token).matches() && !token.contains("..");
    }

    public static boolean isCorrelationId(String id) {
        return CORRELATION_ID.matcher(id).matches();
    }

    private static Uni<StepResult> badRequest(String message) {
        return StepResult.reject(GatewayError.BAD_REQUEST, message);
    }
}
