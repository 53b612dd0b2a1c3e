package io.tokengateway.policy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.tokengateway.config.PolicyConfig;
import io.tokengateway.masking.SensitiveTextMasker;
import io.tokengateway.merchant.Merchant;
import io.tokengateway.upstream.ProviderClients;

/**
 * The policy in force, and how it changes without a restart (DESIGN.md 9a). At start the policy is read from
 * {@code gateway.policy.file} or, without one, from the static configuration, and checked by
 * {@link PolicyValidator}; an invalid one stops the start. Then the policy file and every password file are
 * watched ({@link PolicyFileWatcher}); a change is read and checked by the same validator, on the watcher's
 * thread, and either applied whole (provider clients for new accounts built first, then one atomic swap) or
 * refused whole, with an ERROR naming each property, the current policy kept and readiness untouched. Each
 * outcome is counted, logged and audited ({@link PolicyAudit}).
 */
@Singleton
@Startup
public class LivePolicy {

    private static final Logger LOG = Logger.getLogger(LivePolicy.class);

    private final PolicyConfig config;
    private final Optional<Path> file;
    private final Optional<Path> passwordDir;
    private final ProviderClients clients;
    private final PolicyMetrics metrics;
    private final PolicyAudit audit;
    private final PolicyHolder<Policy> holder;
    /** Orders building clients for a policy about to apply against closing the clients no policy uses. */
    private final Object clientsLock = new Object();

    private final PolicyFileWatcher watcher;
    /**
     * The password files the last refused policy names, watched besides those of the policy in force: the kubelet
     * updates a ConfigMap and a Secret volume independently, so a policy may name a key mounted only later.
     */
    private volatile Set<Path> refusedPasswordFiles = Set.of();
    /** The last refusal, so that reading the same refused policy again (another file touched) says it once. */
    private PolicyValidator.Invalid lastRefusal;

    LivePolicy(PolicyConfig config, ProviderClients clients, PolicyMetrics metrics, PolicyAudit audit) {
        this.config = config;
        this.file = config.policy()
                .file()
                .map(String::trim)
                .filter(name -> !name.isEmpty())
                .map(Path::of);
        this.clients = clients;
        this.metrics = metrics;
        this.audit = audit;
        file.ifPresent(f -> refuseStaticPolicy(config));
        this.passwordDir = config.policy()
                .passwordDir()
                .map(String::trim)
                .filter(d -> !d.isEmpty())
                .map(Path::of);
        if (file.isPresent() && passwordDir.isEmpty()) {
            throw new IllegalStateException("gateway.policy.password-dir is required with gateway.policy.file: the"
                    + " directory every password-file must lie in (the mounted Secret volume)");
        }
        if (config.policy().checkInterval().compareTo(java.time.Duration.ofMillis(100)) < 0) {
            throw new IllegalStateException("gateway.policy.check-interval must be at least 100ms");
        }
        PolicyValidator.Validation first = read();
        if (first instanceof PolicyValidator.Invalid invalid) {
            throw new IllegalStateException("Invalid policy"
                    + file.map(f -> " in " + f).orElse("") + ": " + String.join("; ", invalid.problems()));
        }
        PolicyValidator.Valid valid = (PolicyValidator.Valid) first;
        SensitiveTextMasker.learn(valid.passwords());
        clients.prepare(valid.policy().merchants().all());
        this.holder = new PolicyHolder<>(valid.policy(), live -> closeUnusedClientsSoon());
        metrics.inForce(valid.policy().version(), false);
        LOG.infof(
                "Policy %s in force%s",
                valid.policy().version(),
                file.map(f -> " (from " + f + ", watched)").orElse(""));
        boolean anythingToWatch =
                file.isPresent() || !valid.policy().passwordFiles().isEmpty();
        this.watcher = anythingToWatch
                ? new PolicyFileWatcher(
                                this::watchedFiles,
                                this::reload,
                                config.policy().checkInterval())
                        .start()
                : null;
    }

    /** The snapshots: the current one, and those requests still run under. */
    PolicyHolder<Policy> holder() {
        return holder;
    }

    /** The policy in force now, for what is not a request. */
    public Policy current() {
        return holder.current();
    }

    private PolicyValidator.Validation read() {
        return file.map(f -> PolicyValidator.readFile(f, passwordDir))
                .orElseGet(() -> PolicyValidator.validate(config, Policy.STATIC, null, passwordDir));
    }

    private Collection<Path> watchedFiles() {
        Set<Path> files = new java.util.HashSet<>(holder.current().passwordFiles());
        files.addAll(refusedPasswordFiles);
        file.ifPresent(files::add);
        return List.copyOf(files);
    }

    /** A change of the watched files: the new policy applied whole, or refused whole. On the watcher's thread. */
    void reload() {
        Policy before = holder.current();
        PolicyValidator.Validation next = read();
        if (next instanceof PolicyValidator.Invalid invalid) {
            refusedPasswordFiles = invalid.passwordFiles();
            if (!invalid.equals(lastRefusal)) {
                lastRefusal = invalid;
                refuse(before, invalid.version(), invalid.problems());
            }
            return;
        }
        refusedPasswordFiles = Set.of();
        lastRefusal = null;
        PolicyValidator.Valid valid = (PolicyValidator.Valid) next;
        Policy policy = valid.policy();
        PolicyChange callers = PolicyChange.between(before.callersById(), policy.callersById());
        PolicyChange merchants = PolicyChange.between(before.merchantsById(), policy.merchantsById());
        if (policy.version().equals(before.version()) && callers.isEmpty() && merchants.isEmpty()) {
            return; // the files were touched, or read again after naming other files: nothing changed
        }
        SensitiveTextMasker.learn(valid.passwords());
        try {
            synchronized (clientsLock) {
                clients.prepare(policy.merchants().all());
                holder.swap(policy);
            }
        } catch (RuntimeException e) {
            // A client that cannot be built (the REST client refused the URL): as invalid as a bad property. Those
            // already built for it are closed again.
            closeUnusedClientsSoon();
            refuse(
                    before,
                    Optional.of(policy.version()),
                    List.of("a provider client cannot be built: " + e.getClass().getName()));
            return;
        }
        metrics.inForce(policy.version(), true);
        LOG.infof(
                "Policy %s applied (was %s): callers added %s, removed %s, changed %s; merchants added %s, removed %s,"
                        + " changed %s",
                policy.version(),
                before.version(),
                callers.added(),
                callers.removed(),
                callers.changed(),
                merchants.added(),
                merchants.removed(),
                merchants.changed());
        audit.applied(policy.version(), before.version(), callers, merchants);
    }

    private void refuse(Policy current, Optional<String> version, List<String> problems) {
        metrics.rejected();
        LOG.errorf(
                "Policy change refused%s; policy %s stays in force. %s",
                version.map(v -> " (version " + v + ")").orElse(""), current.version(), String.join("; ", problems));
        audit.rejected(version, current.version(), problems);
    }

    /**
     * A replaced policy has drained (on the thread that released its last request): close the clients no live
     * policy uses, on a worker thread, since this may be an event loop.
     */
    private void closeUnusedClientsSoon() {
        try {
            Infrastructure.getDefaultWorkerPool().execute(() -> {
                synchronized (clientsLock) {
                    List<Merchant> live = holder.live().stream()
                            .flatMap(policy -> policy.merchants().all().stream())
                            .toList();
                    clients.retain(live);
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            // Shutdown closes every client anyway.
        }
    }

    /**
     * With a policy file, callers and merchants come from it alone: the same names elsewhere (properties,
     * environment) would be a second policy nobody sees change. Refused at start, naming them.
     */
    private static void refuseStaticPolicy(PolicyConfig config) {
        if (config.callers().isEmpty() && config.merchants().isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (String name : ConfigProvider.getConfig().getPropertyNames()) {
            if (name.startsWith(PolicyFile.CALLERS)
                    || name.startsWith(PolicyFile.MERCHANTS)
                    || name.startsWith("GATEWAY_CALLERS_")
                    || name.startsWith("GATEWAY_MERCHANTS_")) {
                names.add(name);
            }
        }
        java.util.Collections.sort(names);
        throw new IllegalStateException("gateway.policy.file is set, so callers and merchants come from it alone;"
                + " remove these from the configuration (properties or environment): "
                + (names.isEmpty() ? "gateway.callers.* / gateway.merchants.*" : String.join(", ", names)));
    }

    @PreDestroy
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }
}
