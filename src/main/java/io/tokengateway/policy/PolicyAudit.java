package io.tokengateway.policy;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.tokengateway.audit.AuditService;
import io.tokengateway.masking.SensitiveTextMasker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The {@code policy} audit record of every change applied or refused (DESIGN.md 9a): version, previous version,
 * result, the ids of callers and merchants added, removed or changed, and for a refusal the problems (property
 * names and reasons). Never a credential: a rotated password shows only as its merchant changed.
 */
@Singleton
public class PolicyAudit {

    private static final Logger LOG = Logger.getLogger(PolicyAudit.class);

    private final AuditService audit;
    private final SensitiveTextMasker masker;

    PolicyAudit(AuditService audit, SensitiveTextMasker masker) {
        this.audit = audit;
        this.masker = masker;
    }

    void applied(String version, String previous, PolicyChange callers, PolicyChange merchants) {
        write(new JsonObject()
                .put("time", Instant.now().toString())
                .put("version", version)
                .put("previous_version", previous)
                .put("result", "applied")
                .put("callers", change(callers))
                .put("merchants", change(merchants)));
    }

    void rejected(Optional<String> version, String current, List<String> problems) {
        JsonArray reasons = new JsonArray();
        problems.forEach(problem -> reasons.add(masker.mask(problem)));
        write(new JsonObject()
                .put("time", Instant.now().toString())
                .put("version", version.orElse(null))
                .put("previous_version", current)
                .put("result", "rejected")
                .put("problems", reasons));
    }

    private static JsonObject change(PolicyChange change) {
        return new JsonObject()
                .put("added", array(change.added()))
                .put("removed", array(change.removed()))
                .put("changed", array(change.changed()));
    }

    private static JsonArray array(Collection<String> ids) {
        return new JsonArray(List.copyOf(ids));
    }

    /** Queued on the trail; a record that cannot be written is counted and logged by the writer, and here. */
    private void write(JsonObject record) {
        audit.append("policy", record)
                .subscribe()
                .with(
                        written -> {},
                        failure -> LOG.errorf(
                                "The policy audit record (%s) could not be written: %s",
                                record.getString("result"), failure.getClass().getName()));
    }
}
