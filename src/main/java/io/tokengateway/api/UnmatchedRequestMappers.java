package io.tokengateway.api;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.smallrye.mutiny.Uni;
import io.tokengateway.error.GatewayError;
import io.tokengateway.pipeline.RequestPipeline;
import io.vertx.core.buffer.Buffer;

/**
 * Answers for requests that never became one of the three operations (another path or method, a
 * request the REST layer could not read), in the provider's error shape like every other answer.
 */
@jakarta.inject.Singleton
public class UnmatchedRequestMappers {

    private static final Logger LOG = Logger.getLogger(UnmatchedRequestMappers.class);

    private final RequestPipeline pipeline;

    UnmatchedRequestMappers(RequestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** The answer for a request that is not one of the gateway's operations (also used by {@link MethodAllowList}). */
    Uni<RestResponse<Buffer>> notAnOperation(String correlationHeader) {
        return answer(GatewayError.NOT_FOUND, "Not one of the gateway's operations.", correlationHeader);
    }

    @ServerExceptionMapper
    public Uni<RestResponse<Buffer>> notFound(NotFoundException e, HttpHeaders headers) {
        return answer(GatewayError.NOT_FOUND, "Not one of the gateway's operations.", headers);
    }

    @ServerExceptionMapper
    public Uni<RestResponse<Buffer>> notAllowed(NotAllowedException e, HttpHeaders headers) {
        return answer(GatewayError.NOT_FOUND, "Not one of the gateway's operations.", headers);
    }

    @ServerExceptionMapper
    public Uni<RestResponse<Buffer>> unreadable(WebApplicationException e, HttpHeaders headers) {
        if (e.getResponse().getStatus() == 413) {
            return answer(
                    GatewayError.PAYLOAD_TOO_LARGE, "The request body is larger than the gateway accepts.", headers);
        }
        return answer(GatewayError.BAD_REQUEST, "The request could not be read.", headers);
    }

    @ServerExceptionMapper
    public Uni<RestResponse<Buffer>> unexpected(Throwable e, HttpHeaders headers) {
        // Class only: a third-party message may quote request data.
        LOG.errorf("Unhandled failure outside the pipeline: %s", e.getClass().getName());
        return answer(GatewayError.INTERNAL_ERROR, "The gateway failed to handle the request.", headers);
    }

    private Uni<RestResponse<Buffer>> answer(GatewayError error, String message, HttpHeaders headers) {
        return answer(error, message, headers.getHeaderString(TokenResource.CORRELATION_ID));
    }

    /** Answered once the record is flushed. */
    private Uni<RestResponse<Buffer>> answer(GatewayError error, String message, String correlationHeader) {
        String correlationId = TokenResource.correlationIdFor(correlationHeader);
        return pipeline.unmatched(correlationId, "route", error, message)
                .map(answer -> TokenResource.toRest(answer, correlationId));
    }
}
