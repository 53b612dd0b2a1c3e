package io.tokengateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.tokengateway.redis.LuaScript;
import io.tokengateway.redis.RedisFailures;
import io.tokengateway.redis.RedisRound;
import io.tokengateway.redis.RedisScripts;

/**
 * The package rules that keep the request flow readable: steps see the {@code flow} package and their own
 * concern, never the pipeline that assembles them; nothing depends on the API layer; {@code flow} knows no
 * concern (nor the Redis client: a step's round API is there, its runtime in {@code redis}, out of the steps'
 * reach); the audit trail knows no request concern; and no two packages depend on each other in a cycle.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tokengateway");

    @Test
    void onlyTheApiLayerUsesThePipeline() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.tokengateway.pipeline..", "io.tokengateway.api..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.tokengateway.pipeline..")
                .because("steps see the flow package, never the pipeline that assembles them")
                .check(MAIN);
    }

    @Test
    void nothingDependsOnTheApiLayer() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.tokengateway.api..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.tokengateway.api..")
                .check(MAIN);
    }

    @Test
    void theFlowKnowsNoConcern() {
        classes()
                .that()
                .resideInAPackage("io.tokengateway.flow..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "io.tokengateway.flow..",
                        "io.tokengateway.error..",
                        "io.tokengateway.digest..",
                        "java..",
                        "io.smallrye.mutiny..",
                        "io.vertx.core..",
                        "io.quarkus.security.identity..")
                .check(MAIN);
    }

    @Test
    void theAuditTrailKnowsNoRequestConcern() {
        noClasses()
                .that()
                .resideInAPackage("io.tokengateway.audit..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.tokengateway.auth..",
                        "io.tokengateway.limit..",
                        "io.tokengateway.merchant..",
                        "io.tokengateway.order..")
                .because("the request record is built where the facts are; the trail writes whatever it is given")
                .check(MAIN);
    }

    @Test
    void stepsTakePartInTheRedisRoundsThroughTheFlowApiOnly() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.tokengateway.redis..", "io.tokengateway.pipeline..")
                .should()
                .dependOnClassesThat()
                .belongToAnyOf(RedisRound.class, RedisScripts.class, LuaScript.class, RedisFailures.class)
                .because("a step declares its part of the Redis rounds as a flow.RoundParticipant; running the rounds"
                        + " is the runtime's, and only the pipeline places it")
                .check(MAIN);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.tokengateway.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void mainCodeUsesNoVertxInternals() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.vertx..impl..")
                .because("a Vert.x internal class can change or vanish in any release")
                .check(MAIN);
    }
}
