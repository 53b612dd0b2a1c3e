package io.tokengateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tokengateway.testing.ConfigMapVolume;

class PolicyFileWatcherTest {

    /** The design's promise: a change is applied within 5 s. */
    private static final Duration PROMISE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void noticesTheKubeletsSymlinkSwapOfAConfigMapWithinFiveSeconds() {
        ConfigMapVolume policy = ConfigMapVolume.create(dir.resolve("policy"), Map.of("policy.properties", "a=1\n"));
        AtomicInteger changes = new AtomicInteger();
        // A long periodic check: only the watch service can make the promise here.
        try (PolicyFileWatcher watcher = new PolicyFileWatcher(
                        () -> List.of(policy.path("policy.properties")),
                        changes::incrementAndGet,
                        Duration.ofMinutes(5))
                .start()) {
            policy.update(Map.of("policy.properties", "a=2\n"));

            assertTrue(within(PROMISE, () -> changes.get() == 1), "the swap was not noticed");
        }
    }

    @Test
    void thePeriodicCheckNoticesAChangeWithoutAnyEvent() {
        ConfigMapVolume policy = ConfigMapVolume.create(dir.resolve("policy"), Map.of("policy.properties", "a=1\n"));
        AtomicInteger changes = new AtomicInteger();
        // Watching only a decoy directory: the policy directory gets no watch, the check must find it.
        List<Path> files = new ArrayList<>(List.of(dir.resolve("decoy/x")));
        try (PolicyFileWatcher watcher =
                new PolicyFileWatcher(() -> List.copyOf(files), changes::incrementAndGet, Duration.ofMillis(200))) {
            files.add(policy.path("policy.properties"));
            watcher.start();
            policy.update(Map.of("policy.properties", "a=2\n"));

            assertTrue(within(PROMISE, () -> changes.get() >= 1), "the periodic check missed the change");
        }
    }

    @Test
    void noticesARotatedPasswordInASecretVolume() {
        ConfigMapVolume policy = ConfigMapVolume.create(dir.resolve("policy"), Map.of("policy.properties", "a=1\n"));
        ConfigMapVolume secret = ConfigMapVolume.create(dir.resolve("secret"), Map.of("m1-password", "old-Pw1"));
        AtomicInteger changes = new AtomicInteger();
        try (PolicyFileWatcher watcher = new PolicyFileWatcher(
                        () -> List.of(policy.path("policy.properties"), secret.path("m1-password")),
                        changes::incrementAndGet,
                        Duration.ofMinutes(5))
                .start()) {
            secret.update(Map.of("m1-password", "new-Pw2"));

            assertTrue(within(PROMISE, () -> changes.get() == 1), "the rotation was not noticed");
        }
    }

    @Test
    void callsOncePerChangeAndNotAtAllWithoutOne() {
        ConfigMapVolume policy = ConfigMapVolume.create(dir.resolve("policy"), Map.of("policy.properties", "a=1\n"));
        List<String> calls = new CopyOnWriteArrayList<>();
        try (PolicyFileWatcher watcher = new PolicyFileWatcher(
                () -> List.of(policy.path("policy.properties")), () -> calls.add("change"), Duration.ofMinutes(5))) {
            watcher.check();
            assertEquals(List.of(), calls);

            policy.update(Map.of("policy.properties", "a=2\n"));
            watcher.check();
            watcher.check();
            assertEquals(List.of("change"), calls);

            policy.update(Map.of("policy.properties", "a=2\n")); // a new generation, the same bytes
            watcher.check();
            assertEquals(List.of("change"), calls);
        }
    }

    @Test
    void watchesThePasswordFilesANewPolicyNames() {
        ConfigMapVolume policy = ConfigMapVolume.create(dir.resolve("policy"), Map.of("policy.properties", "a=1\n"));
        ConfigMapVolume secret = ConfigMapVolume.create(dir.resolve("secret"), Map.of("m2-password", "first-Pw"));
        List<Path> files = new CopyOnWriteArrayList<>(List.of(policy.path("policy.properties")));
        List<String> passwordsApplied = new CopyOnWriteArrayList<>();
        Runnable apply = () -> {
            // the new policy onboards m2, whose password is in the Secret: read it as a reload would
            if (!files.contains(secret.path("m2-password"))) {
                files.add(secret.path("m2-password"));
            }
            passwordsApplied.add(
                    ((PolicyFile.PasswordRead.Found) PolicyFile.password("m2", secret.path("m2-password"))).password());
        };
        try (PolicyFileWatcher watcher =
                new PolicyFileWatcher(() -> List.copyOf(files), apply, Duration.ofMinutes(5)).start()) {
            policy.update(Map.of("policy.properties", "a=2\n"));
            assertTrue(within(PROMISE, () -> passwordsApplied.contains("first-Pw")), "the policy change was missed");

            secret.update(Map.of("m2-password", "second-Pw"));
            assertTrue(
                    within(PROMISE, () -> passwordsApplied
                            .get(passwordsApplied.size() - 1)
                            .equals("second-Pw")),
                    "the new merchant's rotation was not applied: " + passwordsApplied.size() + " reads");
        }
    }

    /**
     * A node whose inotify instances are used up (fs.inotify.max_user_instances, 128 by default, shared by every pod
     * of the node): no watch service can be had. The periodic check still notices changes, so the gateway must start
     * and watch by it alone rather than refuse to start.
     */
    @Test
    void withoutAWatchServiceThePeriodicCheckAloneNoticesAChange() {
        ConfigMapVolume policy = ConfigMapVolume.create(dir.resolve("policy"), Map.of("policy.properties", "a=1\n"));
        AtomicInteger changes = new AtomicInteger();
        try (PolicyFileWatcher watcher = new PolicyFileWatcher(
                        () -> List.of(policy.path("policy.properties")),
                        changes::incrementAndGet,
                        Duration.ofMillis(200),
                        () -> {
                            throw new java.io.IOException(
                                    "User limit of inotify instances reached or too many open files");
                        })
                .start()) {
            policy.update(Map.of("policy.properties", "a=2\n"));

            assertTrue(within(PROMISE, () -> changes.get() == 1), "the change was not noticed");
        }
    }

    /** Polls {@code condition} until it holds or {@code patience} has passed. */
    private static boolean within(Duration patience, BooleanSupplier condition) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(
                    Duration.ofMillis(20).toNanos()); // poll interval
        }
        return condition.getAsBoolean();
    }
}
