package io.tokengateway.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The manifests under {@code k8s/} as a cluster would receive them: every kustomization renders (with
 * kubectl's kustomize), every object parses against the Kubernetes API model with no field the schema
 * does not know, and the security invariants hold.
 */
class KubernetesManifestsTest {

    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token|api_?key|credential).*");

    static List<HasMetadata> render(String kustomization) {
        try {
            Process kustomize = new ProcessBuilder("kubectl", "kustomize", kustomization)
                    .redirectErrorStream(true)
                    .start();
            String yaml = new String(kustomize.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(kustomize.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, kustomize.exitValue(), () -> kustomization + " does not render:\n" + yaml);
            List<HasMetadata> objects = new ArrayList<>();
            for (String document : yaml.split("(?m)^---$")) {
                if (!document.isBlank()) {
                    objects.add(KUBERNETES.unmarshal(document, HasMetadata.class));
                }
            }
            return objects;
        } catch (IOException e) {
            throw new IllegalStateException("kubectl is needed to render the manifests (.ci/run installs it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "k8s/overlays/central",
                "k8s/overlays/sidecar",
                "k8s/overlays/sidecar-redis",
                "k8s/redis/standalone",
                "k8s/redis/sidecar-access",
                "k8s/redis/managed",
                "k8s/overlays/central-sentinel",
                "k8s/overlays/central-cluster",
                "k8s/overlays/central-managed-redis"
            })
    void everyObjectParsesAgainstTheApiSchemaAndHoldsTheInvariants(String kustomization) {
        List<HasMetadata> objects = render(kustomization);
        assertFalse(objects.isEmpty());
        for (HasMetadata object : objects) {
            assertFalse(
                    object.getClass().getName().contains("GenericKubernetesResource"),
                    () -> object.getKind() + " is not a known API type");
            List<String> unknown = new ArrayList<>();
            unknownFields(
                    object, object.getKind() + "/" + object.getMetadata().getName(), unknown, new IdentityHashMap<>());
            assertEquals(List.of(), unknown, "fields the Kubernetes API does not know");
            noLiteralSecrets(object);
            podSpec(object).ifPresent(spec -> containersOf(spec).forEach(c -> secured(object, spec, c)));
        }
    }

    @Test
    void theCentralDeploymentIsHighlyAvailableProbedAndFenced() {
        List<HasMetadata> objects = render("k8s/overlays/central");
        Deployment gateway = only(objects, Deployment.class);
        assertTrue(gateway.getSpec().getReplicas() >= 2, "2+ replicas");
        assertEquals("tokengateway", gateway.getMetadata().getNamespace());
        Container container =
                gateway.getSpec().getTemplate().getSpec().getContainers().get(0);
        probedOnTheManagementPort(container);
        assertEquals("registry.example.com/payments/tokengateway:0.1.0", container.getImage());
        assertTrue(
                gateway.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds() > 30,
                "longer than the 30 s graceful shutdown");

        assertEquals(
                1,
                only(objects, PodDisruptionBudget.class)
                        .getSpec()
                        .getMinAvailable()
                        .getIntVal());
        assertTrue(only(objects, HorizontalPodAutoscaler.class).getSpec().getMinReplicas() >= 2);

        NetworkPolicy gatewayPolicy = named(objects, NetworkPolicy.class, "tokengateway");
        assertTrue(gatewayPolicy.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress")));
        for (NetworkPolicyEgressRule rule : gatewayPolicy.getSpec().getEgress()) {
            if (rule.getTo() == null || rule.getTo().isEmpty()) {
                assertEquals(
                        List.of(443),
                        rule.getPorts().stream()
                                .map(p -> p.getPort().getIntVal())
                                .toList(),
                        "the only egress to anywhere is HTTPS");
            }
        }
        NetworkPolicy clients = named(objects, NetworkPolicy.class, "tokengateway-clients-egress");
        for (NetworkPolicyEgressRule rule : clients.getSpec().getEgress()) {
            assertFalse(rule.getTo() == null || rule.getTo().isEmpty(), "client egress is always to in-cluster peers");
            rule.getTo().forEach(peer -> assertEquals(null, peer.getIpBlock(), "no external address for clients"));
        }
        ConfigMap config = named(objects, ConfigMap.class, "tokengateway-config");
        assertTrue(config.getData().get("application.properties").contains("quarkus.oidc.token.audience=tokengateway"));
        assertTrue(config.getData().get("application.properties").contains("gateway.caller-claims=sub"));
        // The live policy's rendered text, parsed as the gateway will: the escaped colons stay in the key.
        Properties policy = load(policyText(objects));
        assertEquals(
                "m1", policy.getProperty("gateway.callers.\"system:serviceaccount:checkout:checkout-api\".merchants"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "k8s/overlays/central-sentinel",
                "k8s/overlays/central-cluster",
                "k8s/overlays/central-managed-redis"
            })
    void theHighlyAvailableRedisOverlaysReplaceTheSingleRedisAndReachTheirOwn(String kustomization) {
        List<HasMetadata> objects = render(kustomization);
        assertTrue(
                objects.stream().noneMatch(o -> o.getMetadata().getName().equals("tokengateway-redis")),
                "no in-cluster single Redis");
        Deployment gateway = only(objects, Deployment.class);
        assertTrue(gateway.getSpec().getReplicas() >= 2, "2+ replicas, as the central overlay");
        Map<String, EnvVar> env = new java.util.HashMap<>();
        gateway.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv()
                .forEach(e -> env.put(e.getName(), e));
        assertTrue(env.containsKey("QUARKUS_REDIS_HOSTS"));
        NetworkPolicy policy = named(objects, NetworkPolicy.class, "tokengateway");
        List<Integer> redisPorts = policy.getSpec().getEgress().stream()
                .filter(rule -> rule.getTo() != null && !rule.getTo().isEmpty())
                .flatMap(rule -> rule.getPorts().stream())
                .map(p -> p.getPort().getIntVal())
                .toList();
        if (kustomization.endsWith("sentinel")) {
            assertEquals("sentinel", env.get("QUARKUS_REDIS_CLIENT_TYPE").getValue());
            assertEquals("1", env.get("GATEWAY_IDEMPOTENCY_REPLICA_ACKS").getValue());
            assertTrue(
                    redisPorts.containsAll(List.of(6379, 26379)),
                    "egress to the Sentinels and the data nodes: " + redisPorts);
        } else if (kustomization.endsWith("cluster")) {
            assertEquals("cluster", env.get("QUARKUS_REDIS_CLIENT_TYPE").getValue());
            assertEquals("1", env.get("GATEWAY_IDEMPOTENCY_REPLICA_ACKS").getValue());
            assertTrue(redisPorts.contains(6379), "egress to the cluster nodes: " + redisPorts);
        } else {
            assertTrue(env.get("QUARKUS_REDIS_HOSTS").getValue().startsWith("rediss://"), "TLS");
            assertEquals(
                    "HTTPS",
                    env.get("QUARKUS_REDIS_TLS_HOSTNAME_VERIFICATION_ALGORITHM").getValue(),
                    "the password goes only to a server whose certificate names the endpoint");
            assertNotNull(
                    env.get("QUARKUS_REDIS_PASSWORD").getValueFrom().getSecretKeyRef(), "the password from a Secret");
            assertTrue(redisPorts.contains(6380), "egress to the managed endpoint: " + redisPorts);
        }
    }

    @Test
    void theSidecarRunsNativelyBesideTheWorkloadWhichCallsItOnLocalhostWithAProjectedToken() {
        List<HasMetadata> objects = render("k8s/overlays/sidecar");
        PodSpec pod = only(objects, Deployment.class).getSpec().getTemplate().getSpec();
        Container sidecar = pod.getInitContainers().stream()
                .filter(c -> c.getName().equals("tokengateway"))
                .findFirst()
                .orElseThrow();
        assertEquals("Always", sidecar.getRestartPolicy(), "a native sidecar");
        probedOnTheManagementPort(sidecar);
        Container workload = pod.getContainers().get(0);
        assertTrue(workload.getEnv().stream()
                .anyMatch(e ->
                        e.getName().equals("PAYMENTS_BASE_URL") && e.getValue().equals("http://localhost:8080")));
        Volume token = pod.getVolumes().stream()
                .filter(v -> v.getName().equals("gateway-token"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                "tokengateway",
                token.getProjected()
                        .getSources()
                        .get(0)
                        .getServiceAccountToken()
                        .getAudience());
        assertFalse(pod.getAutomountServiceAccountToken(), "only the projected gateway token is mounted");
        // With a shared process namespace the workload could read the sidecar's secrets in /proc/<pid>/environ.
        assertNotEquals(
                Boolean.TRUE, pod.getShareProcessNamespace(), "the workload cannot see the sidecar's processes");
        String config = gatewayProperties(objects);
        assertTrue(config.contains("quarkus.http.host=127.0.0.1"), "the sidecar listens on localhost only");
        // In a properties file ':' separates key from value, so the service account's colons are escaped.
        assertTrue(policyText(objects)
                .contains("gateway.callers.\"system\\:serviceaccount\\:checkout\\:checkout-api\".merchants=m3"));
    }

    @Test
    void theMonitorsScrapeTheManagementPortOfWhatTheOverlaysRender() {
        List<HasMetadata> monitoring = render("k8s/monitoring");

        // Central: the ServiceMonitor selects the gateway's Service, whose port of that name is 9000, the Service
        // selects the gateway's pods, and a NetworkPolicy admits the monitoring namespace to them on 9000.
        Map<String, Object> serviceMonitor = spec(monitoring, "ServiceMonitor");
        List<HasMetadata> central = render("k8s/overlays/central");
        String servicePort = (String) first(serviceMonitor, "endpoints").get("port");
        List<Service> services = central.stream()
                .filter(Service.class::isInstance)
                .map(Service.class::cast)
                .filter(service -> selects(
                        matchLabels(serviceMonitor), service.getMetadata().getLabels()))
                .toList();
        assertEquals(1, services.size(), "the ServiceMonitor selects the gateway's Service");
        Service service = services.get(0);
        assertTrue(service.getSpec().getPorts().stream()
                .anyMatch(port -> servicePort.equals(port.getName()) && port.getPort() == 9000));
        Map<String, String> gatewayPod = only(central, Deployment.class)
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels();
        assertTrue(selects(service.getSpec().getSelector(), gatewayPod), "the Service selects the gateway's pods");
        assertTrue(admitsMonitoringOnTheManagementPort(central, gatewayPod), "monitoring may reach 9000 (central)");

        // Sidecar: no gateway Service, so the PodMonitor selects the workload pods that run the sidecar, in any
        // namespace, on the sidecar's port named as its endpoint says (9000).
        Map<String, Object> podMonitor = spec(monitoring, "PodMonitor");
        List<HasMetadata> sidecar = render("k8s/overlays/sidecar");
        Deployment workload = only(sidecar, Deployment.class);
        Map<String, String> workloadPod =
                workload.getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(selects(matchLabels(podMonitor), workloadPod), "the PodMonitor selects the sidecar's pods");
        @SuppressWarnings("unchecked")
        Map<String, Object> namespaces = (Map<String, Object>) podMonitor.get("namespaceSelector");
        assertEquals(Boolean.TRUE, namespaces.get("any"), "sidecars run in the workloads' namespaces");
        String podPort = (String) first(podMonitor, "podMetricsEndpoints").get("port");
        assertEquals("/q/metrics", first(podMonitor, "podMetricsEndpoints").get("path"));
        assertTrue(
                containersOf(workload.getSpec().getTemplate().getSpec())
                        .filter(c -> c.getName().equals("tokengateway"))
                        .flatMap(c -> c.getPorts() == null ? Stream.empty() : c.getPorts().stream())
                        .anyMatch(port -> podPort.equals(port.getName()) && port.getContainerPort() == 9000),
                "the sidecar names its port 9000 " + podPort);
        assertTrue(admitsMonitoringOnTheManagementPort(sidecar, workloadPod), "monitoring may reach 9000 (sidecar)");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(List<HasMetadata> objects, String kind) {
        List<HasMetadata> matching =
                objects.stream().filter(o -> kind.equals(o.getKind())).toList();
        assertEquals(1, matching.size(), () -> "one " + kind + " expected");
        return (Map<String, Object>) ((GenericKubernetesResource) matching.get(0))
                .getAdditionalProperties()
                .get("spec");
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> matchLabels(Map<String, Object> monitorSpec) {
        return (Map<String, String>) ((Map<String, Object>) monitorSpec.get("selector")).get("matchLabels");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> first(Map<String, Object> monitorSpec, String list) {
        return ((List<Map<String, Object>>) monitorSpec.get(list)).get(0);
    }

    /** A label selector (matchLabels; null or empty selects everything) against an object's labels. */
    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector == null
                || selector.entrySet().stream()
                        .allMatch(e -> labels != null && e.getValue().equals(labels.get(e.getKey())));
    }

    /** Whether a NetworkPolicy selecting these pods admits the monitoring namespace on 9000. */
    static boolean admitsMonitoringOnTheManagementPort(List<HasMetadata> objects, Map<String, String> podLabels) {
        return objects.stream()
                .filter(NetworkPolicy.class::isInstance)
                .map(NetworkPolicy.class::cast)
                .filter(policy -> selects(policy.getSpec().getPodSelector().getMatchLabels(), podLabels))
                .flatMap(policy ->
                        policy.getSpec().getIngress() == null ? Stream.empty() : policy.getSpec().getIngress().stream())
                .anyMatch(rule -> rule.getFrom().stream()
                                .anyMatch(peer -> peer.getPodSelector() == null
                                        && peer.getNamespaceSelector() != null
                                        && peer.getNamespaceSelector().getMatchLabels() != null
                                        && "monitoring"
                                                .equals(peer.getNamespaceSelector()
                                                        .getMatchLabels()
                                                        .get("kubernetes.io/metadata.name")))
                        && rule.getPorts().stream()
                                .anyMatch(port -> port.getPort().getIntVal() != null
                                        && port.getPort().getIntVal() == 9000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/central", "k8s/overlays/sidecar"})
    void theAuditSigningKeyComesFromASecretAndTheTrailGoesToStdout(String kustomization) {
        List<HasMetadata> objects = render(kustomization);
        PodSpec pod = only(objects, Deployment.class).getSpec().getTemplate().getSpec();
        Container gateway = containersOf(pod)
                .filter(c -> c.getName().equals("tokengateway"))
                .findFirst()
                .orElseThrow();
        EnvVar key = gateway.getEnv().stream()
                .filter(e -> e.getName().equals("AUDIT_SIGNING_KEY"))
                .findFirst()
                .orElseThrow(() ->
                        new AssertionError("no AUDIT_SIGNING_KEY: production refuses to start without a signing key"));
        assertEquals(null, key.getValue());
        assertEquals(
                "tokengateway-audit-signing-key",
                key.getValueFrom().getSecretKeyRef().getName());
        // The seal on stored answers: production refuses to start without it, and only a Secret may hold it.
        EnvVar seal = gateway.getEnv().stream()
                .filter(e -> e.getName().equals("GATEWAY_STATE_SEAL_KEY"))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no GATEWAY_STATE_SEAL_KEY: production refuses to start without it"));
        assertEquals(null, seal.getValue());
        assertEquals(
                "tokengateway-state-seal-key",
                seal.getValueFrom().getSecretKeyRef().getName());
        String config = gatewayProperties(objects);
        assertTrue(config.contains("gateway.audit.sink=stdout"), "the trail is routed to stdout");
        assertFalse(config.contains("gateway.audit.signing-key"), "the key is never in a ConfigMap");
        // application.properties maps AUDIT_SIGNING_KEY onto gateway.audit.signing-key.
        try (var in = getClass().getResourceAsStream("/application.properties")) {
            assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .contains("gateway.audit.signing-key=${AUDIT_SIGNING_KEY:}"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Over TLS the password goes only to a Redis whose certificate names the host dialled: the packaged
     * configuration and the managed-Redis example turn the name check on (the client's default checks none).
     */
    @Test
    void overTlsTheRedisCertificateMustNameTheHost() throws IOException {
        Properties packaged = new Properties();
        try (var in = getClass().getResourceAsStream("/application.properties")) {
            packaged.load(in);
        }
        assertEquals("HTTPS", packaged.getProperty("quarkus.redis.tls.hostname-verification-algorithm"));
        Properties managed = new Properties();
        managed.load(new java.io.StringReader(
                named(render("k8s/redis/managed"), ConfigMap.class, "tokengateway-redis-examples")
                        .getData()
                        .get("managed.properties")));
        assertTrue(managed.getProperty("quarkus.redis.hosts").startsWith("rediss://"));
        assertEquals("HTTPS", managed.getProperty("quarkus.redis.tls.hostname-verification-algorithm"));
    }

    /** The label the gateway's NetworkPolicy admits callers by; it must never open Redis. */
    static final Map<String, String> CLIENT_LABEL = Map.of("tokengateway.io/client", "true");

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/central", "k8s/overlays/sidecar-redis"})
    void noLabelThatLetsAPodCallTheGatewayOpensRedis(String kustomization) {
        List<HasMetadata> gatewayObjects = render("k8s/overlays/central");
        NetworkPolicy gatewayPolicy = named(gatewayObjects, NetworkPolicy.class, "tokengateway");
        List<Map<String, String>> callerLabels = gatewayPolicy.getSpec().getIngress().stream()
                .flatMap(rule -> rule.getFrom().stream())
                .filter(peer -> peer.getPodSelector() != null)
                .map(peer -> peer.getPodSelector().getMatchLabels())
                .toList();
        assertTrue(callerLabels.contains(CLIENT_LABEL), "callers are admitted by " + CLIENT_LABEL);

        List<NetworkPolicy> redisPolicies = redisPolicies(render(kustomization));
        assertFalse(redisPolicies.isEmpty(), "Redis is fenced by a NetworkPolicy");
        for (NetworkPolicy policy : redisPolicies) {
            for (var rule : policy.getSpec().getIngress()) {
                assertFalse(
                        rule.getFrom() == null || rule.getFrom().isEmpty(),
                        policy.getMetadata().getName() + ": a rule without peers admits every pod");
                for (var peer : rule.getFrom()) {
                    assertNotNull(peer.getPodSelector(), "every peer names the pods it admits");
                    assertEquals(null, peer.getIpBlock(), "no address range reaches Redis");
                    Map<String, String> admitted = peer.getPodSelector().getMatchLabels();
                    assertTrue(
                            admitted != null && !admitted.isEmpty(),
                            policy.getMetadata().getName() + ": an empty pod selector admits every pod");
                    assertTrue(
                            peer.getPodSelector().getMatchExpressions() == null
                                    || peer.getPodSelector()
                                            .getMatchExpressions()
                                            .isEmpty(),
                            "only exact labels open Redis");
                    for (Map<String, String> caller : callerLabels) {
                        assertFalse(
                                caller.entrySet().containsAll(admitted.entrySet()),
                                "a pod labelled " + caller + " to call the gateway would reach Redis through "
                                        + policy.getMetadata().getName());
                        assertTrue(
                                admitted.keySet().stream().noneMatch(caller::containsKey),
                                "the caller label " + caller + " takes part in opening Redis: " + admitted);
                    }
                }
            }
        }
        if (kustomization.endsWith("central")) {
            // Central mode: only the gateway's own pods, in Redis' namespace.
            Map<String, String> gatewayPods = only(gatewayObjects, Deployment.class)
                    .getSpec()
                    .getTemplate()
                    .getMetadata()
                    .getLabels();
            for (NetworkPolicy policy : redisPolicies) {
                for (var rule : policy.getSpec().getIngress()) {
                    for (var peer : rule.getFrom()) {
                        assertEquals(null, peer.getNamespaceSelector(), "no other namespace reaches Redis");
                        assertTrue(gatewayPods
                                .entrySet()
                                .containsAll(
                                        peer.getPodSelector().getMatchLabels().entrySet()));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/central", "k8s/overlays/sidecar-redis"})
    void theShippedRedisRequiresAPasswordFromASecret(String kustomization) {
        List<HasMetadata> objects = render(kustomization);
        StatefulSet redis = named(objects, StatefulSet.class, "tokengateway-redis");
        PodSpec pod = redis.getSpec().getTemplate().getSpec();
        Container server = pod.getContainers().get(0);
        List<String> args = server.getArgs();
        int aclfile = args.indexOf("--aclfile");
        assertTrue(aclfile >= 0, "Redis loads its users (and their password hashes) from an ACL file: " + args);
        assertFalse(args.contains("--requirepass"), "no password on the command line");
        String path = args.get(aclfile + 1);
        var mount = server.getVolumeMounts().stream()
                .filter(m -> path.startsWith(m.getMountPath() + "/"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the ACL file " + path + " is not mounted"));
        Volume volume = pod.getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseThrow();
        assertNotNull(volume.getSecret(), "the ACL file comes from a Secret");
        assertEquals("tokengateway-redis-auth", volume.getSecret().getSecretName());
        assertTrue(volume.getSecret().getItems().stream()
                .anyMatch(item ->
                        path.endsWith("/" + item.getPath()) && item.getKey().equals("users.acl")));
        assertTrue(
                objects.stream().noneMatch(Secret.class::isInstance),
                "the Secret is created by the operator (kubectl create secret), never rendered from the repository");
        // The readiness probe's redis-cli logs in with the password mounted from the same Secret, and fails
        // unless Redis answers PONG (redis-cli itself exits 0 on NOAUTH).
        String probe = String.join(" ", server.getReadinessProbe().getExec().getCommand());
        assertTrue(
                volume.getSecret().getItems().stream()
                        .anyMatch(item -> item.getKey().equals("password")
                                && probe.contains(mount.getMountPath() + "/" + item.getPath())),
                probe);
        assertTrue(probe.contains("grep -qx PONG"), probe);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "k8s/overlays/central",
                "k8s/overlays/central-sentinel",
                "k8s/overlays/central-cluster",
                "k8s/overlays/central-managed-redis"
            })
    void theGatewayTakesTheRedisPasswordFromTheSameSecret(String kustomization) {
        Container gateway = only(render(kustomization), Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        EnvVar password = env(gateway, "QUARKUS_REDIS_PASSWORD");
        assertEquals(null, password.getValue());
        assertEquals(
                "tokengateway-redis-auth",
                password.getValueFrom().getSecretKeyRef().getName());
        assertEquals("password", password.getValueFrom().getSecretKeyRef().getKey());
    }

    @Test
    void onlyTheSidecarContainerHoldsTheRedisPasswordAndItsPodCarriesTheLabelRedisAdmits() {
        List<HasMetadata> objects = render("k8s/overlays/sidecar");
        Deployment deployment = only(objects, Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container sidecar = pod.getInitContainers().stream()
                .filter(c -> c.getName().equals("tokengateway"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                "tokengateway-redis-auth",
                env(sidecar, "QUARKUS_REDIS_PASSWORD")
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getName());
        Set<String> secretVolumes = new java.util.HashSet<>();
        for (Volume volume : pod.getVolumes()) {
            boolean projectsASecret = volume.getProjected() != null
                    && volume.getProjected().getSources().stream().anyMatch(s -> s.getSecret() != null);
            if (volume.getSecret() != null || projectsASecret) {
                secretVolumes.add(volume.getName());
            }
        }
        for (Container workload : pod.getContainers()) {
            String where = "workload container " + workload.getName();
            if (workload.getEnv() != null) {
                for (EnvVar env : workload.getEnv()) {
                    assertTrue(
                            env.getValueFrom() == null || env.getValueFrom().getSecretKeyRef() == null,
                            where + " reads the Secret key of " + env.getName());
                    assertFalse(env.getName().startsWith("QUARKUS_REDIS"), where + " has " + env.getName());
                }
            }
            assertTrue(
                    workload.getEnvFrom() == null
                            || workload.getEnvFrom().stream().allMatch(e -> e.getSecretRef() == null),
                    where + " imports a Secret");
            if (workload.getVolumeMounts() != null) {
                workload.getVolumeMounts()
                        .forEach(m -> assertFalse(
                                secretVolumes.contains(m.getName()),
                                where + " mounts the Secret volume " + m.getName()));
            }
        }
        Map<String, String> podLabels =
                deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertFalse(
                podLabels.containsKey("tokengateway.io/client"), "the sidecar is called on localhost, no client label");

        // The shared Redis admits this pod (its label, from its namespace) through the sidecar policy.
        String namespace = deployment.getMetadata().getNamespace();
        boolean admitted = redisPolicies(render("k8s/overlays/sidecar-redis")).stream()
                .flatMap(policy -> policy.getSpec().getIngress().stream())
                .flatMap(rule -> rule.getFrom().stream())
                .anyMatch(peer -> peer.getNamespaceSelector() != null
                        && namespace.equals(
                                peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"))
                        && podLabels
                                .entrySet()
                                .containsAll(
                                        peer.getPodSelector().getMatchLabels().entrySet()));
        assertTrue(admitted, "the sidecar's pod reaches Redis");

        // It logs in as its namespace's ACL user, whose keys are its merchants' only.
        String config = gatewayProperties(objects);
        java.util.regex.Matcher user = Pattern.compile("quarkus\\.redis\\.hosts=redis://[^?\\s]+\\?user=([\\w-]+)")
                .matcher(config);
        assertTrue(user.find(), "the sidecar names its ACL user in quarkus.redis.hosts");
        Set<String> merchants = merchantsIn(policyText(objects));
        assertFalse(merchants.isEmpty(), "the sidecar's policy serves a merchant");
        String aclLine = aclUsers().get(user.group(1));
        assertNotNull(aclLine, "users.acl.template defines the user " + user.group(1));
        Set<String> keyPatterns = new java.util.TreeSet<>();
        java.util.regex.Matcher pattern =
                Pattern.compile("(?<=^|\\s)~(\\S+)").matcher(aclLine.replaceAll("\\(.*\\)", ""));
        while (pattern.find()) {
            keyPatterns.add(pattern.group(1));
        }
        assertEquals(
                merchants.stream().map(m -> "tg:*{" + m + "}*").collect(java.util.stream.Collectors.toSet()),
                keyPatterns,
                "the sidecar's user may touch its own merchants' keys only");
        // Its audit checkpoints: those of its own trust domain only, never the central gateway's or another's.
        java.util.regex.Matcher domain =
                Pattern.compile("(?m)^gateway\\.audit\\.trust-domain=(\\S+)$").matcher(config);
        assertTrue(domain.find(), "the sidecar tags its checkpoint keys with its trust domain");
        assertEquals(deployment.getMetadata().getNamespace(), domain.group(1), "the trust domain is the namespace");
        List<String> selectors = new ArrayList<>();
        java.util.regex.Matcher selector = Pattern.compile("\\(([^)]*)\\)").matcher(aclLine);
        while (selector.find()) {
            selectors.add(selector.group(1));
        }
        assertEquals(
                List.of("~tg:audit:checkpoint:{" + domain.group(1) + ":*} -@all +zadd +pexpire +zremrangebyscore"),
                selectors,
                "the sidecar's user may add to, expire and trim its own domain's checkpoints only");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "k8s/overlays/central",
                "k8s/overlays/central-sentinel",
                "k8s/overlays/central-cluster",
                "k8s/overlays/central-managed-redis"
            })
    void noMerchantOfTheSidecarNamespaceIsServedByTheCentralGateway(String central) {
        // The namespace's Redis user may write its merchants' state and its team holds its seal key: a merchant
        // the central gateway serves too would get records forged there replayed by the central gateway.
        Set<String> sidecar = merchantsIn(policyText(render("k8s/overlays/sidecar")));
        Set<String> centrally = merchantsIn(policyText(render(central)));
        assertFalse(sidecar.isEmpty(), "the sidecar example serves a merchant");
        assertFalse(centrally.isEmpty(), "the central example serves merchants");
        Set<String> both = new java.util.TreeSet<>(sidecar);
        both.retainAll(centrally);
        assertEquals(Set.of(), both, "merchants served by both the sidecar namespace and " + central);
    }

    /** Every merchant a gateway's properties name: configured accounts and callers' grants. */
    static Set<String> merchantsIn(String propertiesText) {
        Properties properties = load(propertiesText);
        Set<String> merchants = new java.util.TreeSet<>();
        for (String name : properties.stringPropertyNames()) {
            java.util.regex.Matcher account =
                    Pattern.compile("gateway\\.merchants\\.([^.]+)\\..*").matcher(name);
            if (account.matches()) {
                merchants.add(account.group(1));
            } else if (name.startsWith("gateway.callers.") && name.endsWith(".merchants")) {
                Arrays.stream(properties.getProperty(name).split(","))
                        .map(String::strip)
                        .filter(m -> !m.isEmpty())
                        .forEach(merchants::add);
            }
        }
        return merchants;
    }

    @Test
    void everyRedisUserNeedsAPasswordAndNoneMayFlushOrReconfigureRedis() {
        Map<String, String> users = aclUsers();
        assertTrue(users.containsKey("default"), "the central gateway's user");
        users.forEach((name, line) -> {
            assertTrue(line.contains(" on "), name + " is enabled");
            assertTrue(line.matches(".* #@[A-Z_]+_SHA256@ .*"), name + " has a password (its SHA-256, filled in)");
            assertFalse(line.contains("nopass"), name + " needs no password");
            assertFalse(line.contains("allkeys") || line.contains(" ~* "), name + " may touch any key");
            assertTrue(line.contains("-@dangerous") || line.contains("-@all"), name + " may run FLUSHALL, CONFIG, ...");
        });
    }

    @Test
    void theCentralApiServesTlsOnlyFromACertificateSecretAndItsServicePolicyAndProbesFollow() {
        List<HasMetadata> objects = render("k8s/overlays/central");
        Properties properties = properties(named(objects, ConfigMap.class, "tokengateway-config"));
        assertEquals("api", properties.getProperty("quarkus.http.tls-configuration-name"));
        assertEquals("disabled", properties.getProperty("quarkus.http.insecure-requests"), "plain HTTP off");
        assertEquals("8443", properties.getProperty("quarkus.http.ssl-port"));
        assertNotNull(properties.getProperty("quarkus.tls.api.reload-period"), "a renewed certificate is reloaded");
        String cert = properties.getProperty("quarkus.tls.api.key-store.pem.0.cert");
        String key = properties.getProperty("quarkus.tls.api.key-store.pem.0.key");

        PodSpec pod = only(objects, Deployment.class).getSpec().getTemplate().getSpec();
        Container gateway = pod.getContainers().get(0);
        assertEquals(
                List.of(8443, 9000),
                gateway.getPorts().stream()
                        .map(p -> p.getContainerPort())
                        .sorted()
                        .toList(),
                "the API over TLS and the management port; no plain API port");
        var mount = gateway.getVolumeMounts().stream()
                .filter(m -> cert.equals(m.getMountPath() + "/tls.crt") && key.equals(m.getMountPath() + "/tls.key"))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("the certificate and key are not mounted where Quarkus reads them"));
        assertEquals(null, mount.getSubPath(), "a subPath mount is never updated when the Secret is renewed");
        Volume volume = pod.getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseThrow();
        assertEquals("tokengateway-tls", volume.getSecret().getSecretName());
        probedOnTheManagementPort(gateway);

        var service = named(objects, io.fabric8.kubernetes.api.model.Service.class, "tokengateway");
        assertEquals(
                List.of(8443, 9000),
                service.getSpec().getPorts().stream()
                        .map(p -> p.getPort())
                        .sorted()
                        .toList());
        NetworkPolicy policy = named(objects, NetworkPolicy.class, "tokengateway");
        var callerRule = policy.getSpec().getIngress().stream()
                .filter(rule -> rule.getFrom().stream()
                        .anyMatch(peer -> peer.getPodSelector() != null
                                && CLIENT_LABEL.equals(peer.getPodSelector().getMatchLabels())))
                .findFirst()
                .orElseThrow();
        assertEquals(
                List.of(8443),
                callerRule.getPorts().stream().map(p -> p.getPort().getIntVal()).toList());
    }

    static List<NetworkPolicy> redisPolicies(List<HasMetadata> objects) {
        return objects.stream()
                .filter(NetworkPolicy.class::isInstance)
                .map(NetworkPolicy.class::cast)
                .filter(p -> "tokengateway-redis"
                        .equals(p.getSpec().getPodSelector().getMatchLabels().get("app.kubernetes.io/name")))
                .toList();
    }

    /** The users of the shipped ACL file template, by name: each one line. */
    static Map<String, String> aclUsers() {
        try {
            Map<String, String> users = new java.util.LinkedHashMap<>();
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(ACL_TEMPLATE))) {
                if (!line.isBlank()) {
                    String[] words = line.split(" ");
                    assertEquals("user", words[0], "an ACL file holds user lines only: " + line);
                    users.put(words[1], line + " ");
                }
            }
            return users;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyCommandTheGatewaysScriptsRunIsAllowedToEveryRestrictedUser() throws IOException {
        // A script that gains a command the sidecar's ACL user lacks answers NOPERM on every request: a 500 for
        // every request of that merchant. Collect what the scripts call and hold each restricted user to it.
        Set<String> commands = new java.util.TreeSet<>();
        try (var files = Files.walk(Path.of("src/main/resources"))) {
            // The redis-stream audit sink's script runs only where that sink is chosen; sidecars log to stdout
            // (their users have no XADD, docs/operations.md), which is checked below.
            for (Path lua : files.filter(f -> f.toString().endsWith(".lua"))
                    .filter(f -> !f.endsWith("stream_append.lua"))
                    .toList()) {
                java.util.regex.Matcher call =
                        Pattern.compile("redis\\.p?call\\(\\s*'([A-Za-z]+)'").matcher(Files.readString(lua));
                while (call.find()) {
                    commands.add(call.group(1).toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        assertTrue(commands.containsAll(Set.of("get", "set", "pttl")), "the scripts were found: " + commands);
        commands.addAll(Set.of("evalsha", "eval", "wait")); // how the gateway runs them
        assertEquals(
                "stdout",
                load(Files.readString(Path.of("k8s/overlays/sidecar/application.properties")))
                        .getProperty("gateway.audit.sink"),
                "a sidecar on the redis-stream sink needs its user to allow stream_append.lua's commands");
        for (var user : aclUsers().entrySet()) {
            String line = user.getValue().replaceAll("\\(.*\\)", "");
            if (!line.contains("-@all")) {
                continue; // not restricted by command
            }
            for (String command : commands) {
                assertTrue(line.contains(" +" + command + " "), "ACL user " + user.getKey() + " lacks +" + command);
            }
        }
    }

    static final String ACL_TEMPLATE = "k8s/redis/acl/users.acl.template";

    static EnvVar env(Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no " + name));
    }

    static Properties properties(ConfigMap config) {
        return load(config.getData().get("application.properties"));
    }

    /** A properties text parsed as Quarkus and the policy file reader parse it. */
    static Properties load(String text) {
        Properties properties = new Properties();
        try {
            properties.load(new java.io.StringReader(text));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return properties;
    }

    /** The container that runs the gateway: the Deployment's, or the workload's native sidecar. */
    static Container gatewayContainer(PodSpec pod) {
        return containersOf(pod)
                .filter(c -> c.getName().equals("tokengateway"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no tokengateway container"));
    }

    /**
     * A file as a container sees it: the volume mounted over it (the deepest mount path that holds it) and the
     * key of the ConfigMap or Secret it shows, through the volume's items when it lists some.
     */
    record MountedFile(VolumeMount mount, Volume volume, String key) {}

    static MountedFile mountedFile(PodSpec pod, Container container, String path) {
        Path file = Path.of(path);
        VolumeMount mount = container.getVolumeMounts().stream()
                .filter(m -> file.startsWith(Path.of(m.getMountPath())))
                .max(java.util.Comparator.comparingInt(m -> m.getMountPath().length()))
                .orElseThrow(() -> new AssertionError(path + " is on no volume of " + container.getName()));
        Volume volume = pod.getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + mount.getName()));
        String relative = mount.getSubPath() != null && !mount.getSubPath().isEmpty()
                ? mount.getSubPath()
                : Path.of(mount.getMountPath()).relativize(file).toString();
        List<KeyToPath> items = volume.getConfigMap() != null
                ? volume.getConfigMap().getItems()
                : volume.getSecret() != null ? volume.getSecret().getItems() : null;
        String key = items == null || items.isEmpty()
                ? relative
                : items.stream()
                        .filter(item -> item.getPath().equals(relative))
                        .map(KeyToPath::getKey)
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(path + " is no item of volume " + volume.getName()));
        return new MountedFile(mount, volume, key);
    }

    /** The text of a file the gateway reads from a ConfigMap volume, as rendered. */
    static String configMapText(List<HasMetadata> objects, MountedFile file) {
        assertNotNull(file.volume().getConfigMap(), file.volume().getName() + " is no ConfigMap volume");
        ConfigMap config =
                named(objects, ConfigMap.class, file.volume().getConfigMap().getName());
        String text = config.getData().get(file.key());
        assertNotNull(text, "ConfigMap " + config.getMetadata().getName() + " has no key " + file.key());
        return text;
    }

    /** The gateway's application.properties, found as it finds it: QUARKUS_CONFIG_LOCATIONS, through its mount. */
    static String gatewayProperties(List<HasMetadata> objects) {
        PodSpec pod = only(objects, Deployment.class).getSpec().getTemplate().getSpec();
        Container gateway = gatewayContainer(pod);
        return configMapText(
                objects,
                mountedFile(
                        pod, gateway, env(gateway, "QUARKUS_CONFIG_LOCATIONS").getValue()));
    }

    /** The gateway's live policy, found as it finds it: gateway.policy.file, through its mount. */
    static String policyText(List<HasMetadata> objects) {
        PodSpec pod = only(objects, Deployment.class).getSpec().getTemplate().getSpec();
        String file = load(gatewayProperties(objects)).getProperty("gateway.policy.file");
        assertNotNull(file, "the gateway's properties set gateway.policy.file");
        return configMapText(objects, mountedFile(pod, gatewayContainer(pod), file));
    }

    static void probedOnTheManagementPort(Container container) {
        for (Probe probe :
                new Probe[] {container.getStartupProbe(), container.getReadinessProbe(), container.getLivenessProbe()
                }) {
            assertNotNull(probe, container.getName() + " lacks a probe");
            assertEquals("management", probe.getHttpGet().getPort().getStrVal());
        }
        assertEquals(
                "/q/health/ready", container.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/live", container.getLivenessProbe().getHttpGet().getPath());
    }

    static void secured(HasMetadata owner, PodSpec pod, Container container) {
        String where = owner.getKind() + "/" + owner.getMetadata().getName() + " container " + container.getName();
        var securityContext = container.getSecurityContext();
        assertNotNull(securityContext, where);
        boolean nonRoot = Boolean.TRUE.equals(securityContext.getRunAsNonRoot())
                || (pod.getSecurityContext() != null
                        && Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot()));
        assertTrue(nonRoot, where + " may run as root");
        assertEquals(Boolean.TRUE, securityContext.getReadOnlyRootFilesystem(), where + " root filesystem writable");
        assertEquals(Boolean.FALSE, securityContext.getAllowPrivilegeEscalation(), where + " may escalate privileges");
        assertEquals(List.of("ALL"), securityContext.getCapabilities().getDrop(), where + " keeps capabilities");
        String seccomp = securityContext.getSeccompProfile() != null
                ? securityContext.getSeccompProfile().getType()
                : pod.getSecurityContext() != null && pod.getSecurityContext().getSeccompProfile() != null
                        ? pod.getSecurityContext().getSeccompProfile().getType()
                        : null;
        assertEquals("RuntimeDefault", seccomp, where + " seccomp");
        var resources = container.getResources();
        for (String resource : List.of("cpu", "memory")) {
            assertNotNull(resources.getRequests().get(resource), where + " requests " + resource);
            assertNotNull(resources.getLimits().get(resource), where + " limits " + resource);
        }
    }

    static void noLiteralSecrets(HasMetadata object) {
        if (object instanceof Secret secret) {
            assertTrue(
                    (secret.getData() == null || secret.getData().isEmpty())
                            && (secret.getStringData() == null
                                    || secret.getStringData().isEmpty()),
                    "a Secret with values in the repository: "
                            + secret.getMetadata().getName());
        }
        podSpec(object).ifPresent(spec -> containersOf(spec)
                .flatMap(c -> c.getEnv() == null ? Stream.<EnvVar>empty() : c.getEnv().stream())
                .filter(env -> SECRET_NAME.matcher(env.getName()).matches()
                        && !env.getName().endsWith("_FILE"))
                .forEach(env -> assertNotNull(env.getValueFrom(), "literal value for " + env.getName())));
        if (object instanceof ConfigMap config && config.getData() != null) {
            config.getData().values().forEach(text -> Arrays.stream(text.split("\n"))
                    .filter(line -> !line.startsWith("#"))
                    .forEach(line -> assertFalse(
                            line.matches("(?i).*(password|secret|signing-key)\\s*=.*\\S.*"),
                            "a secret in a ConfigMap: " + line)));
        }
    }

    static java.util.Optional<PodSpec> podSpec(HasMetadata object) {
        PodTemplateSpec template = object instanceof Deployment d
                ? d.getSpec().getTemplate()
                : object instanceof StatefulSet s ? s.getSpec().getTemplate() : null;
        return java.util.Optional.ofNullable(template).map(PodTemplateSpec::getSpec);
    }

    static Stream<Container> containersOf(PodSpec spec) {
        return Stream.concat(
                spec.getContainers().stream(),
                spec.getInitContainers() == null ? Stream.empty() : spec.getInitContainers().stream());
    }

    static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
        List<T> matching =
                objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, matching.size(), () -> "one " + type.getSimpleName() + " expected, found " + matching.size());
        return matching.get(0);
    }

    static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(o -> o.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    /** Collects every non-empty additionalProperties map: a field the API model does not define. */
    static void unknownFields(Object node, String path, List<String> unknown, Map<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> unknownFields(value, path + "." + key, unknown, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || !getter.getName().startsWith("get")
                    || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
            } else if (!Set.of("getApiVersion", "getKind").contains(getter.getName())) {
                unknownFields(value, path + "." + getter.getName().substring(3), unknown, seen);
            }
        }
        Objects.requireNonNull(unknown);
    }
}
