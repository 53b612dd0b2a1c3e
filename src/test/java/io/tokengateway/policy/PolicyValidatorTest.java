package io.tokengateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tokengateway.flow.Operation;

/** The policy file, read and checked as the live policy reads it at start and on every change. */
class PolicyValidatorTest {

    private static final String VALID =
            """
            gateway.merchants.main-shop.base-url=https://api.playground.kustom.co
            gateway.merchants.main-shop.username=PK1_main
            gateway.merchants.main-shop.password-file=main-shop-password
            gateway.merchants.main-shop.rate-limit.per-second=5
            gateway.callers.orders-team.merchants=main-shop
            gateway.callers.orders-team.operations=read-token,create-order
            """;

    @TempDir
    Path dir;

    private PolicyValidator.Validation read(String content) throws IOException {
        Files.writeString(dir.resolve("main-shop-password"), "s3cret-from-a-secret\n");
        Path file = dir.resolve("policy.properties");
        Files.writeString(file, content);
        return PolicyValidator.readFile(file);
    }

    private static String problems(PolicyValidator.Validation validation) {
        return String.join(
                "\n",
                assertInstanceOf(PolicyValidator.Invalid.class, validation).problems());
    }

    @Test
    void aValidFileGivesTheWholePolicyWithThePasswordFromItsFile() throws IOException {
        PolicyValidator.Valid valid = assertInstanceOf(PolicyValidator.Valid.class, read(VALID));
        Policy policy = valid.policy();
        assertEquals(PolicyFile.version(VALID.getBytes(java.nio.charset.StandardCharsets.UTF_8)), policy.version());
        assertEquals(16, policy.version().length());
        assertEquals(
                java.util.Set.of(Operation.READ_TOKEN, Operation.CREATE_ORDER),
                policy.callers().grants().get("orders-team").operations());
        assertEquals(5.0, policy.limits().of("main-shop").perSecond());
        assertEquals(
                io.tokengateway.merchant.Credentials.basic("PK1_main", "s3cret-from-a-secret"),
                policy.merchants().find("main-shop").orElseThrow().credentials(),
                "the trailing line break of the Secret key is not part of the password");
        assertEquals(java.util.Set.of(dir.resolve("main-shop-password")), policy.passwordFiles());
        assertEquals(java.util.List.of("s3cret-from-a-secret"), valid.passwords());
        assertFalse(valid.toString().contains("s3cret"));
    }

    @Test
    void anUnknownOperationIsRefusedNamingTheProperty() throws IOException {
        String problems = problems(read(VALID.replace("read-token,create-order", "read-token,refund")));
        assertTrue(problems.contains("gateway.callers.orders-team.operations"), problems);
    }

    @Test
    void aMerchantWithoutBaseUrlIsRefusedNamingTheProperty() throws IOException {
        String problems = problems(
                read(VALID.replace("gateway.merchants.main-shop.base-url=https://api.playground.kustom.co\n", "")));
        assertTrue(problems.contains("gateway.merchants.main-shop.base-url"), problems);
    }

    @Test
    void aSyntaxErrorIsRefusedNamingTheFile() throws IOException {
        String problems = problems(read(VALID + "gateway.callers.x.merchants=\\u12G4\n"));
        assertTrue(problems.contains("gateway.policy.file"), problems);
        assertTrue(problems.contains("policy.properties"), problems);
    }

    @Test
    void aMisspelledPropertyIsRefusedNotIgnored() throws IOException {
        String problems = problems(read(VALID + "gateway.merchants.main-shop.rate-limit.per-secnd=1\n"));
        assertTrue(problems.contains("gateway.merchants.main-shop.rate-limit.per-secnd"), problems);
    }

    @Test
    void aCallerNamingAMerchantThePolicyLacksIsRefused() throws IOException {
        String problems = problems(read(VALID + "gateway.callers.other-team.merchants=other-shop\n"
                + "gateway.callers.other-team.operations=read-token\n"));
        assertTrue(problems.contains("gateway.callers.other-team.merchants names merchant 'other-shop'"), problems);
    }

    @Test
    void aMissingOrEmptyPasswordFileIsRefusedWithoutQuotingAnything() throws IOException {
        String missing = problems(read(VALID.replace("=main-shop-password", "=no-such-file")));
        assertTrue(missing.contains("gateway.merchants.main-shop.password-file"), missing);
        Files.writeString(dir.resolve("empty"), "\n");
        String empty = problems(read(VALID.replace("=main-shop-password", "=empty")));
        assertTrue(empty.contains("gateway.merchants.main-shop.password-file"), empty);
    }

    /**
     * A password-file that is no path at all (a NUL, as a properties escape) is a problem like any other: refused
     * naming the property, not an exception that ends the reload without an ERROR, a count or an audit record.
     */
    @Test
    void aPasswordFileThatIsNoPathIsRefusedNamingTheProperty() throws IOException {
        String problems = problems(read(VALID.replace("=main-shop-password", "=main-shop\\u0000password")));
        assertTrue(problems.contains("gateway.merchants.main-shop.password-file"), problems);
    }

    @Test
    void aPasswordInThePolicyFileIsRefusedAndNotQuoted() throws IOException {
        String problems = problems(read(VALID.replace(
                "gateway.merchants.main-shop.password-file=main-shop-password",
                "gateway.merchants.main-shop.password=plain-text-pw")));
        assertTrue(problems.contains("gateway.merchants.main-shop.password"), problems);
        assertFalse(problems.contains("plain-text-pw"), problems);
    }

    /** A misspelled password property is refused like any unknown one, and its value (a secret) never quoted. */
    @Test
    void aMisspelledPasswordPropertyIsRefusedWithoutQuotingItsValue() throws IOException {
        for (String name : java.util.List.of("pasword", "Password", "password.value", "passwd")) {
            String problems = problems(read(VALID + "gateway.merchants.main-shop." + name + "=typo-secret-Zq7\n"));
            assertTrue(problems.contains("gateway.merchants.main-shop." + name), problems);
            assertFalse(problems.contains("typo-secret-Zq7"), problems);
        }
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        String problems = problems(
                read(VALID.replace("per-second=5", "per-second=0").replace("username=PK1_main", "username=PK1:main")));
        assertTrue(problems.contains("gateway.merchants.main-shop.rate-limit.per-second"), problems);
        assertTrue(problems.contains("gateway.merchants.main-shop.username"), problems);
    }

    @Test
    void aPasswordFileOutsideThePasswordDirIsRefusedByPathAndByLink() throws IOException {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("main-shop-password"), "inside-pw\n");
        Path outside = Files.writeString(dir.resolve("service-account-token"), "not-a-password");
        Files.createSymbolicLink(secrets.resolve("leaked"), outside);
        Path policy = dir.resolve("policy.properties");
        for (String named :
                java.util.List.of("../service-account-token", "secrets/../service-account-token", "secrets/leaked")) {
            Files.writeString(policy, VALID.replace("=main-shop-password", "=" + named));
            String problems = problems(PolicyValidator.readFile(policy, java.util.Optional.of(secrets)));
            assertTrue(problems.contains("gateway.merchants.main-shop.password-file must be inside"), named);
            assertFalse(problems.contains("not-a-password"), problems);
        }
        Files.writeString(policy, VALID.replace("=main-shop-password", "=secrets/main-shop-password"));
        assertInstanceOf(PolicyValidator.Valid.class, PolicyValidator.readFile(policy, java.util.Optional.of(secrets)));
    }
}
