package io.tokengateway;

import java.util.Arrays;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.tokengateway.audit.verify.VerifyAuditCommand;

/**
 * The application's entry point. {@code java -jar quarkus-run.jar verify-audit ...} runs the audit
 * verifier ({@link VerifyAuditCommand}) and exits without starting the gateway; anything else starts the
 * gateway exactly as Quarkus' default entry point does.
 */
@QuarkusMain
public final class GatewayMain {

    private GatewayMain() {}

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("verify-audit")) {
            System.exit(VerifyAuditCommand.run(Arrays.asList(args).subList(1, args.length), System.out, System.err));
        }
        Quarkus.run(args);
    }
}
