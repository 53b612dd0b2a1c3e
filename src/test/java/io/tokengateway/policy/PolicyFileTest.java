package io.tokengateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tokengateway.digest.Sha256;
import io.tokengateway.testing.ConfigMapVolume;

class PolicyFileTest {

    private static final String POLICY =
            """
            gateway.callers.team-a.merchants=m1
            gateway.callers.team-a.operations=read-token,create-order
            gateway.merchants.m1.base-url=https://api.playground.kustom.co
            gateway.merchants.m1.username=m1-user
            gateway.merchants.m1.password-file=/etc/tokengateway/merchants/m1-password
            gateway.merchants.m1.rate-limit.per-second=20
            """;

    @TempDir
    Path dir;

    @Test
    void readsAConfigMapVolumeThroughItsSymlinksAndVersionsItsBytes() {
        ConfigMapVolume volume = ConfigMapVolume.create(dir.resolve("policy"), Map.of("policy.properties", POLICY));

        PolicyFile.Parsed parsed =
                assertInstanceOf(PolicyFile.Parsed.class, PolicyFile.read(volume.path("policy.properties")));

        assertEquals(Sha256.hex(POLICY.getBytes(StandardCharsets.UTF_8)).substring(0, 16), parsed.version());
        assertEquals("20", parsed.entries().get("gateway.merchants.m1.rate-limit.per-second"));
        assertEquals(
                Path.of("/etc/tokengateway/merchants/m1-password"),
                parsed.passwordFiles().get("m1"));
    }

    @Test
    void anyChangeOfTheFileIsANewVersion() {
        ConfigMapVolume volume = ConfigMapVolume.create(dir.resolve("policy"), Map.of("policy.properties", POLICY));
        String before = version(volume);

        volume.update(Map.of("policy.properties", POLICY.replace("per-second=20", "per-second=2")));

        assertNotEquals(before, version(volume));
        assertEquals(16, version(volume).length());
    }

    @Test
    void refusesEntriesOtherThanCallersAndMerchantsNamingEachOne() {
        PolicyFile.Refused refused = refused(POLICY + "gateway.upstream.timeout=1s\nquarkus.http.port=1\n");

        assertEquals(2, refused.problems().size());
        assertTrue(refused.problems().stream().anyMatch(p -> p.startsWith("gateway.upstream.timeout:")));
        assertTrue(refused.problems().stream().anyMatch(p -> p.startsWith("quarkus.http.port:")));
    }

    @Test
    void refusesAPasswordInTheFileWithoutQuotingIt() {
        PolicyFile.Refused refused = refused(POLICY + "gateway.merchants.m1.password=hunter2-Secret\n");

        assertEquals(1, refused.problems().size());
        assertTrue(refused.problems().get(0).startsWith("gateway.merchants.m1.password:"));
        assertFalse(refused.problems().get(0).contains("hunter2-Secret"));
    }

    @Test
    void refusesAFileThatIsNoPropertiesFile() {
        PolicyFile.Refused refused = refused(POLICY + "gateway.merchants.m1.username=bad\\u12G4\n");

        assertTrue(
                refused.problems().get(0).startsWith("gateway.policy.file:"),
                refused.problems().toString());
    }

    @Test
    void refusesAMissingFileNamingTheProperty() {
        PolicyFile.Refused refused =
                assertInstanceOf(PolicyFile.Refused.class, PolicyFile.read(dir.resolve("absent.properties")));

        assertTrue(refused.problems().get(0).startsWith("gateway.policy.file: cannot read"));
    }

    @Test
    void aRelativePasswordFileIsTakenFromThePolicyFilesDirectory() throws Exception {
        Path file = dir.resolve("policy.properties");
        Files.writeString(file, "gateway.merchants.m1.password-file=secrets/m1\n");

        PolicyFile.Parsed parsed = assertInstanceOf(PolicyFile.Parsed.class, PolicyFile.read(file));

        assertEquals(
                dir.toAbsolutePath().resolve("secrets/m1"),
                parsed.passwordFiles().get("m1"));
    }

    @Test
    void readsAPasswordFileWithoutItsTrailingLineBreakAndNeverPrintsIt() throws Exception {
        ConfigMapVolume secret = ConfigMapVolume.create(dir.resolve("secret"), Map.of("m1-password", "s3cret-Pw\n"));

        PolicyFile.PasswordRead read = PolicyFile.password("m1", secret.path("m1-password"));

        PolicyFile.PasswordRead.Found found = assertInstanceOf(PolicyFile.PasswordRead.Found.class, read);
        assertEquals("s3cret-Pw", found.password());
        assertFalse(found.toString().contains("s3cret"));
    }

    @Test
    void aMissingOrEmptyPasswordFileNamesTheProperty() throws Exception {
        Files.writeString(dir.resolve("empty"), "\n");

        assertEquals(
                "gateway.merchants.m1.password-file: " + dir.resolve("empty") + " is empty",
                assertInstanceOf(PolicyFile.PasswordRead.Missing.class, PolicyFile.password("m1", dir.resolve("empty")))
                        .problem());
        assertTrue(
                assertInstanceOf(PolicyFile.PasswordRead.Missing.class, PolicyFile.password("m1", dir.resolve("none")))
                        .problem()
                        .startsWith("gateway.merchants.m1.password-file: cannot read"));
    }

    private String version(ConfigMapVolume volume) {
        return assertInstanceOf(PolicyFile.Parsed.class, PolicyFile.read(volume.path("policy.properties")))
                .version();
    }

    private PolicyFile.Refused refused(String content) {
        ConfigMapVolume volume = ConfigMapVolume.create(dir.resolve("refused"), Map.of("policy.properties", content));
        return assertInstanceOf(PolicyFile.Refused.class, PolicyFile.read(volume.path("policy.properties")));
    }
}
