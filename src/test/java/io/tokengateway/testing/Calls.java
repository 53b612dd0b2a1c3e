package io.tokengateway.testing;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/**
 * The caller's side of the API, for REST Assured tests against the gateway under test: a request as a caller team
 * for a merchant, the three paths, and a well-formed order. Set only what the test is about on top.
 */
public final class Calls {

    public static final String READ_TOKEN = "/customer-token/v1/tokens/{token}";
    public static final String CREATE_ORDER = "/customer-token/v1/tokens/{token}/order";
    public static final String CANCEL_TOKEN = "/customer-token/v1/tokens/{token}/status";

    /** One shoe for 25.00 EUR, no tax: a valid create-order body. */
    public static final String SHOE_ORDER =
            "{\"purchase_currency\":\"EUR\",\"order_amount\":2500,\"order_tax_amount\":0,"
                    + "\"order_lines\":[{\"name\":\"Shoe\",\"quantity\":1,\"unit_price\":2500,\"total_amount\":2500}]}";

    /** The cancel-token body. */
    public static final String CANCELLED = "{\"status\":\"CANCELLED\"}";

    private Calls() {}

    /** A request with {@code caller}'s bearer token, for {@code merchant}. */
    public static RequestSpecification as(String caller, String merchant) {
        return asCaller(caller).header("X-Merchant-Id", merchant);
    }

    /** A request with {@code caller}'s bearer token and no merchant chosen. */
    public static RequestSpecification asCaller(String caller) {
        return given().auth().oauth2(Tokens.forCaller(caller));
    }
}
