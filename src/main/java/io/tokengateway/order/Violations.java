package io.tokengateway.order;

import java.util.ArrayList;
import java.util.List;

/** Every rule an order breaks, each as {@code json.path: what was expected, what was found}. */
final class Violations {

    private final List<String> messages = new ArrayList<>();

    void add(String path, String message) {
        messages.add(path + ": " + message);
    }

    boolean isEmpty() {
        return messages.isEmpty();
    }

    List<String> messages() {
        return List.copyOf(messages);
    }
}
