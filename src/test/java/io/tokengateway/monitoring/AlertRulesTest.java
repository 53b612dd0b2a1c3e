package io.tokengateway.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The alerts in {@code k8s/monitoring/prometheusrule.yaml}, the one source of the rules: its {@code spec} is
 * extracted as a Prometheus rules file and checked by {@code promtool check rules}, and
 * {@code promtool test rules} feeds series to every alert (a case that fires and one that stays silent, in
 * {@code src/test/resources/prometheus/alerts-test.yaml}). Every alert names its runbook, a section of
 * {@code docs/operations.md}. promtool is Debian's {@code prometheus} package (.ci/run installs it).
 */
class AlertRulesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path RULE = Path.of("k8s", "monitoring", "prometheusrule.yaml");
    private static final Path TESTS = Path.of("src", "test", "resources", "prometheus", "alerts-test.yaml");
    private static final Path WORK = Path.of("target", "prometheus");
    private static final Path OPERATIONS = Path.of("docs", "operations.md");

    private static JsonNode rule;

    @BeforeAll
    static void extractTheRules() throws IOException {
        rule = YAML.readTree(RULE.toFile());
        assertEquals("monitoring.coreos.com/v1", rule.path("apiVersion").asText());
        assertEquals("PrometheusRule", rule.path("kind").asText());
        Files.createDirectories(WORK);
        // The PrometheusRule's spec is a Prometheus rules file ({groups: [...]}) as it stands.
        YAML.writeValue(WORK.resolve("tokengateway-rules.yaml").toFile(), rule.path("spec"));
        Files.copy(TESTS, WORK.resolve("alerts-test.yaml"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void theRulesPassPromtoolCheck() {
        promtool("check", "rules", "tokengateway-rules.yaml");
    }

    @Test
    void everyAlertFiresAndStaysSilentAsItsUnitTestsSay() throws IOException {
        String output = promtool("test", "rules", "alerts-test.yaml");
        assertTrue(output.contains("SUCCESS"), output);
        String tests = Files.readString(TESTS, StandardCharsets.UTF_8);
        for (String alert : alerts()) {
            // an evaluation where it fires, and one where it must not (series beside the firing one, for
            // another pod, merchant or namespace, must not fire either: promtool wants the exact set)
            assertTrue(
                    tests.contains("alertname: " + alert + "\n        exp_alerts:\n          - exp_labels"),
                    alert + " has no firing case");
            assertTrue(
                    tests.contains("alertname: " + alert + "\n        exp_alerts: []"), alert + " has no silent case");
        }
    }

    @Test
    void everyAlertHasASummaryADescriptionAndARunbookSection() throws IOException {
        String operations = Files.readString(OPERATIONS, StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        for (JsonNode group : rule.path("spec").path("groups")) {
            for (JsonNode alert : group.path("rules")) {
                String name = alert.path("alert").asText();
                JsonNode annotations = alert.path("annotations");
                for (String field : List.of("summary", "description", "runbook_url")) {
                    if (annotations.path(field).asText().isBlank()) {
                        problems.add(name + " has no " + field);
                    }
                }
                String anchor = name.toLowerCase(Locale.ROOT);
                if (!annotations.path("runbook_url").asText().endsWith("docs/operations.md#" + anchor)) {
                    problems.add(name + "'s runbook_url does not point at docs/operations.md#" + anchor);
                }
                if (!operations.contains("\n### " + name + "\n")) {
                    problems.add("docs/operations.md has no section \"### " + name + "\"");
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(alerts().size() >= 12, "the alerts DESIGN section 13 lists");
    }

    @Test
    void theServiceMonitorScrapesTheManagementPortOfTheGatewayService() throws IOException {
        JsonNode monitor = YAML.readTree(
                Path.of("k8s", "monitoring", "servicemonitor.yaml").toFile());
        JsonNode service = YAML.readTree(Path.of("k8s", "base", "service.yaml").toFile());
        assertEquals("ServiceMonitor", monitor.path("kind").asText());
        JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
        assertEquals("/q/metrics", endpoint.path("path").asText());
        String port = endpoint.path("port").asText();
        boolean named = false;
        for (JsonNode servicePort : service.path("spec").path("ports")) {
            named |= port.equals(servicePort.path("name").asText())
                    && servicePort.path("port").asInt() == 9000;
        }
        assertTrue(named, "the Service names port " + port + " as the management port 9000");
        assertEquals(
                service.path("spec")
                        .path("selector")
                        .path("app.kubernetes.io/name")
                        .asText(),
                monitor.path("spec")
                        .path("selector")
                        .path("matchLabels")
                        .path("app.kubernetes.io/name")
                        .asText());
    }

    private static List<String> alerts() {
        List<String> names = new ArrayList<>();
        rule.path("spec").path("groups").forEach(group -> group.path("rules")
                .forEach(alert -> names.add(alert.path("alert").asText())));
        assertFalse(names.isEmpty());
        return names;
    }

    private static String promtool(String... args) {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(WORK.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "promtool did not finish");
            assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed:\n" + output);
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "promtool is needed to check the alert rules (Debian's prometheus package; .ci/run installs it)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
