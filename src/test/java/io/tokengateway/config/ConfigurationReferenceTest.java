package io.tokengateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The configuration reference cannot drift from the code: every property of {@link GatewayConfig} and
 * {@link PolicyConfig} (the two mappings of {@code gateway.*}) has a row in {@code docs/configuration.md} with its default, and every {@code gateway.*} row there is a property.
 */
class ConfigurationReferenceTest {

    private static final Path REFERENCE = Path.of("docs", "configuration.md");
    private static final Pattern ROW = Pattern.compile("^\\| `(gateway\\.[^`]+)` \\| ([^|]+) \\|", Pattern.MULTILINE);
    private static final String NO_DEFAULT = "(none)";

    @Test
    void everyPropertyIsDocumentedWithItsDefault() throws IOException {
        Map<String, String> documented = new TreeMap<>();
        Matcher row = ROW.matcher(Files.readString(REFERENCE));
        while (row.find()) {
            String cell = row.group(2).trim();
            documented.put(
                    placeholders(row.group(1)),
                    cell.startsWith("`") ? cell.substring(1, cell.indexOf('`', 1)) : NO_DEFAULT);
        }
        Map<String, String> actual = new TreeMap<>();
        collect("gateway", GatewayConfig.class, actual);
        collect("gateway", PolicyConfig.class, actual); // callers, merchants and gateway.policy.*
        List<String> problems = new ArrayList<>();
        actual.forEach((name, fallback) -> {
            if (!documented.containsKey(name)) {
                problems.add("missing row: | `" + name + "` | "
                        + (fallback.equals(NO_DEFAULT) ? NO_DEFAULT : "`" + fallback + "`") + " |");
            } else if (!documented.get(name).equals(fallback)) {
                problems.add(name + ": documented default " + documented.get(name) + ", actual " + fallback);
            }
        });
        documented.keySet().stream()
                .filter(name -> !actual.containsKey(name))
                .forEach(name -> problems.add("documented but no such property: " + name));
        assertEquals(List.of(), problems, "docs/configuration.md is out of date");
    }

    /** Property name to its default ({@value #NO_DEFAULT} for none); a map's key is written {@code *}. */
    private static void collect(String prefix, Class<?> group, Map<String, String> out) {
        for (Method method : group.getMethods()) {
            if (method.isDefault() || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            WithName named = method.getAnnotation(WithName.class);
            String name = prefix + "." + (named != null ? named.value() : kebab(method.getName()));
            Type type = method.getGenericReturnType();
            if (type instanceof ParameterizedType map && map.getRawType() == Map.class) {
                Type value = map.getActualTypeArguments()[1];
                if (value instanceof Class<?> nested && nested.isInterface()) {
                    collect(name + ".*", nested, out);
                } else {
                    out.put(name + ".*", NO_DEFAULT);
                }
            } else if (type instanceof Class<?> nested
                    && nested.isInterface()
                    && nested.getName().startsWith("io.tokengateway")) {
                collect(name, nested, out);
            } else {
                WithDefault fallback = method.getAnnotation(WithDefault.class);
                out.put(name, fallback != null ? fallback.value() : NO_DEFAULT);
            }
        }
    }

    private static String placeholders(String name) {
        return name.replaceAll("<[^>]+>", "*");
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
