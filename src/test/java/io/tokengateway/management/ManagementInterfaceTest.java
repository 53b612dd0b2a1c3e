package io.tokengateway.management;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.net.URL;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Health, metrics, OpenAPI and build info are served on the management interface, and only there. */
@QuarkusTest
class ManagementInterfaceTest {

    // Relative to the management root path (/q).
    @TestHTTPResource(value = "/health/live", management = true)
    URL live;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    @TestHTTPResource(value = "/info", management = true)
    URL info;

    /** Which build a pod runs: the version, and the commit it was built from (CI builds from a git clone). */
    @Test
    void infoNamesTheVersionAndTheCommit() throws Exception {
        Process git = new ProcessBuilder("git", "rev-parse", "HEAD")
                .redirectErrorStream(true)
                .start();
        String head = new String(git.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        org.junit.jupiter.api.Assertions.assertEquals(0, git.waitFor(), head);
        given().when()
                .get(info)
                .then()
                .statusCode(200)
                .body("build.artifact", is("tokengateway"))
                .body("build.version", is(System.getProperty("project.version")))
                .body("build.time", org.hamcrest.Matchers.notNullValue())
                .body("git.commit.id", is(head));
    }

    @Test
    void healthIsOnTheManagementPort() {
        given().when().get(live).then().statusCode(200).body("status", is("UP"));
        given().when()
                .get(ready)
                .then()
                .statusCode(200)
                .body("status", is("UP"))
                .body("checks.find { it.name == 'redis' }.data.redis", is("UP"));
    }

    @Test
    void metricsAreOnTheManagementPort() {
        given().when().get(metrics).then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void theGatewaysOwnOpenApiDescriptionIsOnTheManagementPort() {
        given().accept("application/json")
                .when()
                .get(openapi)
                .then()
                .statusCode(200)
                .body("paths.'/customer-token/v1/tokens/{customerToken}/order'.post.operationId", is("create-order"))
                .body("paths.'/customer-token/v1/tokens/{customerToken}'.get.operationId", is("read-token"))
                .body("paths.'/customer-token/v1/tokens/{customerToken}/status'.patch.operationId", is("cancel-token"));
    }

    @Test
    void theApiPortServesNoManagementEndpoints() {
        for (String path : new String[] {
            "/q/health", "/q/health/ready", "/q/metrics", "/q/dev-ui", "/q/openapi", "/q/swagger-ui", "/q/info"
        }) {
            given().when().get(path).then().statusCode(404).body("error_code", is("NOT_FOUND"));
        }
    }
}
