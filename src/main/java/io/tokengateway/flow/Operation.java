package io.tokengateway.flow;

/**
 * The three provider operations the gateway proxies. Anything else is not an
 * operation and never reaches the upstream.
 */
public enum Operation {
    READ_TOKEN("read-token", ""),
    CREATE_ORDER("create-order", "/order"),
    CANCEL_TOKEN("cancel-token", "/status");

    private static final String TOKENS_PATH = "/customer-token/v1/tokens/";

    private final String id;
    private final String pathSuffix;

    Operation(String id, String pathSuffix) {
        this.id = id;
        this.pathSuffix = pathSuffix;
    }

    /** The operation with this id ({@code read-token}, ...). */
    public static Operation fromId(String id) {
        for (Operation operation : values()) {
            if (operation.id.equals(id)) {
                return operation;
            }
        }
        throw new IllegalArgumentException("unknown operation id");
    }

    /** The operation id used in configuration, audit records and metrics, e.g. {@code create-order}. */
    public String id() {
        return id;
    }

    /** True for the operations that carry a JSON body. */
    public boolean hasBody() {
        return this != READ_TOKEN;
    }

    /** The provider's path for this operation; the token must already have passed the syntax check. */
    public String path(String customerToken) {
        return TOKENS_PATH + customerToken + pathSuffix;
    }

    @Override
    public String toString() {
        return id;
    }
}
