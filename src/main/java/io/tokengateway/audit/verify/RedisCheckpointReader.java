package io.tokengateway.audit.verify;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.tokengateway.audit.RedisCheckpoints;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Reads the checkpoints the gateway stored in Redis, for the verifier, with the Vert.x Redis client the gateway
 * uses and the same settings ({@code quarkus.redis.hosts}, {@code client-type}, {@code master-name},
 * {@code password}): TLS ({@code rediss://}), a password or a user and password, a single node, Sentinel or
 * Cluster (each primary scanned in turn). The verifier runs outside any request, so it waits for each reply,
 * bounded by a timeout. No message it produces holds the password, a malformed URL's included.
 */
final class RedisCheckpointReader implements AutoCloseable {

    /** What the verifier was told about Redis: the gateway's {@code quarkus.redis.*} in command-line form. */
    record Settings(
            List<String> hosts,
            RedisClientType clientType,
            String masterName,
            Optional<String> password,
            Optional<Path> trustCertificates,
            Duration timeout) {}

    private final Settings settings;
    private final Vertx vertx;
    private final Redis client;
    private final Redactor redactor;

    private RedisCheckpointReader(Settings settings, Redactor redactor) {
        this.settings = settings;
        this.redactor = redactor;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        this.client = Redis.createClient(vertx, options(settings.hosts()));
    }

    /** Checks the URLs before any client sees them (a client's parse error quotes the URL, password and all). */
    static RedisCheckpointReader open(Settings settings) {
        Redactor redactor = new Redactor(settings.password());
        if (settings.hosts().isEmpty()) {
            throw new IllegalArgumentException("--redis: no URL");
        }
        for (int i = 0; i < settings.hosts().size(); i++) {
            String url = settings.hosts().get(i);
            String which = settings.hosts().size() == 1
                    ? "the URL"
                    : "URL " + (i + 1) + " of " + settings.hosts().size();
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                // getReason() is the parser's reason without the input; the index points at the character.
                throw new IllegalArgumentException(
                        "--redis: " + which + " is malformed (" + e.getReason() + " at index " + e.getIndex() + ")");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("redis") && !scheme.equals("rediss")) {
                throw new IllegalArgumentException(
                        "--redis: " + which + " is not redis://host:port or rediss://host:port");
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("--redis: " + which + " names no host");
            }
            redactor.add(uri);
        }
        return new RedisCheckpointReader(settings, redactor);
    }

    /** The message of a failure, with every password the settings hold masked. */
    String describe(Throwable failure) {
        return redactor.redact(failure);
    }

    /** Instance id to the sealed checkpoint lines stored for it, in seq order. */
    Map<String, List<String>> checkpoints() throws TimeoutException {
        Map<String, List<String>> all = new LinkedHashMap<>();
        if (settings.clientType() != RedisClientType.CLUSTER) {
            read(client, all);
            return all;
        }
        // SCAN walks one node's keys; the checkpoints of a cluster lie on all its primaries.
        for (String primary : primaries()) {
            Redis node = Redis.createClient(vertx, options(List.of(primary)).setType(RedisClientType.STANDALONE));
            try {
                read(node, all);
            } finally {
                node.close();
            }
        }
        return all;
    }

    private void read(Redis redis, Map<String, List<String>> all) throws TimeoutException {
        String cursor = "0";
        do {
            Response reply = await(redis.send(Request.cmd(Command.SCAN)
                    .arg(cursor)
                    .arg("MATCH")
                    .arg(RedisCheckpoints.KEY_PREFIX + "*")
                    .arg("COUNT")
                    .arg(1000)));
            cursor = reply.get(0).toString();
            for (Response key : reply.get(1)) {
                String name = key.toString();
                String instance = RedisCheckpoints.instanceOf(name);
                List<String> lines = new ArrayList<>();
                for (Response line : await(
                        redis.send(Request.cmd(Command.ZRANGE).arg(name).arg(0).arg(-1)))) {
                    lines.add(line.toString());
                }
                all.put(instance, lines);
            }
        } while (!"0".equals(cursor));
    }

    /** The cluster's primaries, each as a URL with the first URL's scheme and credentials. */
    private List<String> primaries() throws TimeoutException {
        URI first = URI.create(settings.hosts().get(0));
        String prefix =
                first.getScheme() + "://" + (first.getRawUserInfo() == null ? "" : first.getRawUserInfo() + "@");
        Set<String> primaries = new LinkedHashSet<>();
        // CLUSTER SLOTS: [start, end, [primary host, port, id], replicas...] per slot range
        for (Response range : await(client.send(Request.cmd(Command.CLUSTER).arg("SLOTS")))) {
            Response primary = range.get(2);
            String host = primary.get(0).toString();
            primaries.add(prefix + (host.contains(":") ? "[" + host + "]" : host) + ":"
                    + primary.get(1).toInteger());
        }
        return new ArrayList<>(primaries);
    }

    private RedisOptions options(List<String> hosts) {
        RedisOptions options = new RedisOptions()
                .setType(settings.clientType())
                .setMasterName(settings.masterName())
                .setRole(RedisRole.MASTER)
                .setMaxPoolSize(2)
                .setMaxPoolWaiting(16);
        hosts.forEach(options::addConnectionString);
        settings.password().ifPresent(options::setPassword);
        NetClientOptions net = options.getNetClientOptions();
        net.setConnectTimeout((int) settings.timeout().toMillis());
        // rediss:// checks the server's name against its certificate, as an HTTPS client does.
        net.setHostnameVerificationAlgorithm("HTTPS");
        settings.trustCertificates()
                .ifPresent(file -> net.setTrustOptions(new PemTrustOptions().addCertPath(file.toString())));
        return options;
    }

    private <T> T await(Future<T> future) throws TimeoutException {
        try {
            return future.toCompletionStage()
                    .toCompletableFuture()
                    .get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    @Override
    public void close() {
        client.close();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the process exits next: threads left behind end with it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Masks the passwords the settings hold (the option's, each URL's, raw and decoded) in a message. */
    static final class Redactor {

        private final List<String> secrets = new ArrayList<>();

        Redactor(Optional<String> password) {
            password.ifPresent(this::addSecret);
        }

        void add(URI uri) {
            if (uri.getRawUserInfo() != null) {
                String raw = uri.getRawUserInfo();
                addSecret(raw.substring(raw.indexOf(':') + 1));
                String decoded = uri.getUserInfo();
                addSecret(decoded.substring(decoded.indexOf(':') + 1));
            }
        }

        private void addSecret(String secret) {
            if (!secret.isEmpty()) {
                secrets.add(secret);
            }
        }

        String redact(Throwable failure) {
            StringBuilder text = new StringBuilder();
            // Each cause once: wrappers often repeat their cause's message.
            for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
                String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
                if (text.indexOf(message) < 0) {
                    text.append(text.length() > 0 ? ": " : "").append(message);
                }
            }
            String message = text.toString();
            for (String secret : secrets) {
                message = message.replace(secret, "***");
            }
            return message;
        }
    }
}
