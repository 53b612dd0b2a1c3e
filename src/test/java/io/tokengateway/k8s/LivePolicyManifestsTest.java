package io.tokengateway.k8s;

import static io.tokengateway.k8s.KubernetesManifestsTest.containersOf;
import static io.tokengateway.k8s.KubernetesManifestsTest.gatewayContainer;
import static io.tokengateway.k8s.KubernetesManifestsTest.gatewayProperties;
import static io.tokengateway.k8s.KubernetesManifestsTest.load;
import static io.tokengateway.k8s.KubernetesManifestsTest.merchantsIn;
import static io.tokengateway.k8s.KubernetesManifestsTest.mountedFile;
import static io.tokengateway.k8s.KubernetesManifestsTest.only;
import static io.tokengateway.k8s.KubernetesManifestsTest.policyText;
import static io.tokengateway.k8s.KubernetesManifestsTest.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.tokengateway.merchant.Merchant;
import io.tokengateway.policy.PolicyFile;
import io.tokengateway.policy.PolicyValidator;
import io.tokengateway.testing.ConfigMapVolume;

/**
 * The live policy in the manifests (DESIGN.md 9a): every gateway the overlays render reads its callers and
 * merchants from a whole-directory ConfigMap volume of a stable name and its merchants' passwords from a Secret
 * volume, carries no policy anywhere else (that would stop its start), and the policy it is given is one the
 * gateway's own validator accepts. An edit of the policy changes no pod template: applying it rolls no pod.
 */
class LivePolicyManifestsTest {

    private static final String CREDENTIALS_SECRET = "tokengateway-merchant-credentials";
    private static final String PASSWORD_FILE = ".password-file";

    /** Where each overlay's policy is written: what an operator edits. */
    private static final Map<String, Path> POLICY_SOURCE = Map.of(
            "k8s/overlays/central", Path.of("k8s/base/policy.properties"),
            "k8s/overlays/sidecar", Path.of("k8s/overlays/sidecar/policy.properties"));

    @TempDir
    Path work;

    @ParameterizedTest
    @MethodSource("io.tokengateway.k8s.GatewayOverlays#all")
    void thePolicyIsAWholeConfigMapVolumeAndThePasswordsFilesOfASecretVolume(String kustomization) throws IOException {
        List<HasMetadata> objects = render(kustomization);
        Deployment deployment = only(objects, Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container gateway = gatewayContainer(pod);

        Properties properties = load(gatewayProperties(objects));
        String policyFile = properties.getProperty("gateway.policy.file");
        assertNotNull(policyFile, kustomization + ": the gateway reads a live policy");
        assertTrue(
                properties.stringPropertyNames().stream().noneMatch(LivePolicyManifestsTest::isPolicyEntry),
                "callers and merchants beside the policy file stop the start: " + properties.stringPropertyNames());
        gateway.getEnv()
                .forEach(env -> assertFalse(
                        env.getName().startsWith("GATEWAY_MERCHANTS_")
                                || env.getName().startsWith("GATEWAY_CALLERS_"),
                        env.getName() + " beside the policy file stops the start"));
        assertTrue(
                gateway.getEnvFrom() == null || gateway.getEnvFrom().isEmpty(),
                "an imported ConfigMap or Secret could bring GATEWAY_MERCHANTS_* variables");

        var policyMount = mountedFile(pod, gateway, policyFile);
        assertUpdatable(policyMount, policyFile);
        assertNotNull(policyMount.volume().getConfigMap(), "the policy is a ConfigMap volume");

        String policy = policyText(objects);
        Properties entries = load(policy);
        Set<String> merchants = merchantsIn(policy);
        assertFalse(merchants.isEmpty(), kustomization + "'s policy serves merchants");
        Set<String> keys = new TreeSet<>();
        Set<String> credentialVolumes = new TreeSet<>();
        for (String merchant : merchants) {
            assertEquals(
                    null,
                    entries.getProperty("gateway.merchants." + merchant + ".password"),
                    "a password in the policy file (a ConfigMap) is refused");
            String passwordFile = entries.getProperty("gateway.merchants." + merchant + PASSWORD_FILE);
            assertNotNull(passwordFile, merchant + " names its password file");
            var credentials = mountedFile(pod, gateway, passwordFile);
            assertUpdatable(credentials, passwordFile);
            var secret = credentials.volume().getSecret();
            assertNotNull(secret, passwordFile + " is on a Secret volume");
            assertEquals(CREDENTIALS_SECRET, secret.getSecretName());
            int mode = secret.getDefaultMode() == null ? 0644 : secret.getDefaultMode();
            assertEquals(0, mode & 07, "the passwords are not world-readable: " + Integer.toOctalString(mode));
            // The files belong to root: the gateway (uid 185) reads them as a member of the pod's fsGroup.
            assertTrue((mode & 040) != 0, "the group may read the passwords: " + Integer.toOctalString(mode));
            assertNotNull(pod.getSecurityContext().getFsGroup(), "the files' group is one the gateway is in");
            keys.add(credentials.key());
            credentialVolumes.add(credentials.volume().getName());
        }
        // The Secret holds what the policy reads: the documented command creates exactly these keys (a rotation
        // with `create secret ... | kubectl apply` replaces the whole Secret, so it must name every key).
        String namespace = deployment.getMetadata().getNamespace();
        Map<String, List<Set<String>>> documented = documentedCredentialKeys();
        assertTrue(documented.containsKey(namespace), "no documented `kubectl -n " + namespace + " create secret`");
        documented.get(namespace).forEach(command -> assertEquals(keys, command, "a documented command's keys"));
        // The workload beside a sidecar never mounts the credentials.
        containersOf(pod)
                .filter(c -> c != gateway && c.getVolumeMounts() != null)
                .flatMap(c -> c.getVolumeMounts().stream())
                .forEach(m ->
                        assertFalse(credentialVolumes.contains(m.getName()), "the workload mounts " + m.getName()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/central", "k8s/overlays/sidecar"})
    void theRenderedPolicyIsOneTheGatewayAccepts(String kustomization) throws IOException {
        List<HasMetadata> objects = render(kustomization);
        String policy = policyText(objects);
        // The version the gateway reports (gateway_policy_info) is over the file as written in the repository:
        // an operator can tell which edit is in force (docs/operations.md).
        assertEquals(
                PolicyFile.version(Files.readAllBytes(POLICY_SOURCE.get(kustomization))),
                PolicyFile.version(policy.getBytes(StandardCharsets.UTF_8)));

        // Laid out as the kubelet lays out the volumes, the mount paths moved under a temporary directory, with
        // a stand-in password for every key the policy names.
        PodSpec pod = only(objects, Deployment.class).getSpec().getTemplate().getSpec();
        Container gateway = gatewayContainer(pod);
        Properties entries = load(policy);
        Map<String, Map<String, String>> secretVolumes = new HashMap<>();
        for (String name : entries.stringPropertyNames()) {
            if (name.endsWith(PASSWORD_FILE)) {
                var file = mountedFile(pod, gateway, entries.getProperty(name));
                secretVolumes
                        .computeIfAbsent(file.mount().getMountPath(), dir -> new HashMap<>())
                        .put(file.key(), "stand-in-" + file.key() + "\n");
            }
        }
        String relocated = policy;
        int n = 0;
        for (var volume : secretVolumes.entrySet()) {
            Path dir = work.resolve("secret-volume-" + n++);
            ConfigMapVolume.create(dir, volume.getValue());
            relocated = relocated.replace("=" + volume.getKey() + "/", "=" + dir + "/");
        }
        String policyFile = load(gatewayProperties(objects)).getProperty("gateway.policy.file");
        String key = Path.of(policyFile).getFileName().toString();
        ConfigMapVolume volume = ConfigMapVolume.create(work.resolve("policy"), Map.of(key, relocated));

        PolicyValidator.Validation validation = PolicyValidator.readFile(volume.path(key));
        PolicyValidator.Valid valid = assertInstanceOf(
                PolicyValidator.Valid.class,
                validation,
                () -> kustomization + "'s policy would be refused: " + validation);
        assertEquals(
                merchantsIn(policy),
                valid.policy().merchants().all().stream().map(Merchant::id).collect(Collectors.toSet()));
        assertEquals(
                entries.stringPropertyNames().stream()
                        .filter(name -> name.startsWith("gateway.callers.") && name.endsWith(".merchants"))
                        .count(),
                valid.policy().callers().grants().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/central", "k8s/overlays/sidecar"})
    void anEditOfThePolicyUpdatesItsConfigMapInPlaceAndRollsNoPod(String kustomization) throws IOException {
        // The manifests copied, the policy edited as an operator onboarding a team would, both rendered.
        Path copy = work.resolve("repo");
        copyTree(Path.of("k8s"), copy.resolve("k8s"));
        Path source = copy.resolve(POLICY_SOURCE.get(kustomization));
        Files.writeString(
                source,
                Files.readString(source)
                        + "gateway.callers.\"system\\:serviceaccount\\:onboarded\\:team\".merchants="
                        + merchantsIn(Files.readString(source)).iterator().next() + "\n"
                        + "gateway.callers.\"system\\:serviceaccount\\:onboarded\\:team\".operations=read-token\n");
        List<HasMetadata> before = render(kustomization);
        List<HasMetadata> after = render(copy.resolve(kustomization).toString());

        ConfigMap policyBefore = policyConfigMap(before);
        ConfigMap policyAfter = policyConfigMap(after);
        assertNotEquals(policyBefore.getData(), policyAfter.getData(), "the edit reached the ConfigMap");
        assertEquals(
                policyBefore.getMetadata().getName(),
                policyAfter.getMetadata().getName(),
                "a stable name (no content hash): the ConfigMap is updated in place");
        KubernetesSerialization yaml = new KubernetesSerialization();
        assertEquals(
                yaml.asYaml(only(before, Deployment.class).getSpec().getTemplate()),
                yaml.asYaml(only(after, Deployment.class).getSpec().getTemplate()),
                "the pod template is unchanged: applying the edit rolls no pod");
    }

    private static ConfigMap policyConfigMap(List<HasMetadata> objects) {
        PodSpec pod = only(objects, Deployment.class).getSpec().getTemplate().getSpec();
        String policyFile = load(gatewayProperties(objects)).getProperty("gateway.policy.file");
        String name = mountedFile(pod, gatewayContainer(pod), policyFile)
                .volume()
                .getConfigMap()
                .getName();
        return KubernetesManifestsTest.named(objects, ConfigMap.class, name);
    }

    /** Whole-directory, read-only: a subPath mount is never updated by the kubelet. */
    private static void assertUpdatable(KubernetesManifestsTest.MountedFile file, String path) {
        var mount = file.mount();
        assertTrue(
                mount.getSubPath() == null || mount.getSubPath().isEmpty(),
                path + " is mounted with subPath: its updates never arrive");
        assertTrue(
                mount.getSubPathExpr() == null || mount.getSubPathExpr().isEmpty(),
                path + " is mounted with subPathExpr: its updates never arrive");
        assertEquals(Boolean.TRUE, mount.getReadOnly(), path + " is mounted writable");
    }

    private static boolean isPolicyEntry(String name) {
        return name.startsWith("gateway.callers.") || name.startsWith("gateway.merchants.");
    }

    /**
     * The keys of every documented {@code kubectl -n <namespace> create secret generic
     * tokengateway-merchant-credentials} command (its continuation lines included), by namespace, in the docs and
     * the kustomizations' comments.
     */
    static Map<String, List<Set<String>>> documentedCredentialKeys() throws IOException {
        Pattern command = Pattern.compile(
                "kubectl -n ([a-z0-9-]+) create secret generic " + CREDENTIALS_SECRET + "((?:[^\\n]*\\\\\\n)*[^\\n]*)");
        Pattern key = Pattern.compile("--from-(?:literal|file)=([A-Za-z0-9._-]+)=");
        List<Path> documents = new ArrayList<>(List.of(Path.of("README.md"), Path.of("docs", "operations.md")));
        try (Stream<Path> files = Files.walk(Path.of("k8s"))) {
            files.filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
                    .forEach(documents::add);
        }
        Map<String, List<Set<String>>> byNamespace = new HashMap<>();
        for (Path document : documents) {
            Matcher found = command.matcher(Files.readString(document));
            while (found.find()) {
                Set<String> keys = new TreeSet<>();
                Matcher k = key.matcher(found.group(2));
                while (k.find()) {
                    keys.add(k.group(1));
                }
                byNamespace
                        .computeIfAbsent(found.group(1), n -> new ArrayList<>())
                        .add(keys);
            }
        }
        return byNamespace;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
