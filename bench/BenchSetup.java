import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;

/**
 * Benchmark set-up with nothing but the JDK (run as "java bench/BenchSetup.java <dir> <issuer>"): an RSA
 * key, the OIDC discovery document and JWKS that nginx serves for it, a bearer token signed with it, and
 * a 10-line order body, and the audit trail's Ed25519 signing key (PKCS#8, base64 DER).
 */
public class BenchSetup {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String issuer = args[1];
        Files.createDirectories(dir.resolve("oidc"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        RSAPublicKey publicKey = (RSAPublicKey) keys.getPublic();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String jwks = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"bench\",\"alg\":\"RS256\",\"use\":\"sig\",\"n\":\""
                + b64.encodeToString(unsigned(publicKey.getModulus())) + "\",\"e\":\""
                + b64.encodeToString(unsigned(publicKey.getPublicExponent())) + "\"}]}";
        Files.writeString(dir.resolve("oidc/jwks"), jwks);
        Files.writeString(
                dir.resolve("audit-signing-key"),
                Base64.getEncoder()
                        .encodeToString(KeyPairGenerator.getInstance("Ed25519")
                                .generateKeyPair()
                                .getPrivate()
                                .getEncoded()));
        Files.writeString(
                dir.resolve("oidc/openid-configuration"),
                "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer
                        + "/jwks\",\"id_token_signing_alg_values_supported\":[\"RS256\"]}");

        long now = Instant.now().getEpochSecond();
        String header = b64.encodeToString(
                "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"bench\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(
                ("{\"iss\":\"" + issuer + "\",\"aud\":\"tokengateway\",\"azp\":\"bench\",\"sub\":\"bench\","
                                + "\"iat\":" + now + ",\"exp\":" + (now + 86400) + "}")
                        .getBytes(StandardCharsets.UTF_8));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(keys.getPrivate());
        rs256.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        Files.writeString(dir.resolve("token"), header + "." + claims + "." + b64.encodeToString(rs256.sign()));

        StringBuilder order = new StringBuilder(
                "{\"purchase_currency\":\"EUR\",\"merchant_reference1\":\"BENCH-1\",\"order_lines\":[");
        long amount = 0;
        long tax = 0;
        for (int i = 0; i < 10; i++) {
            long total = (i + 1) * 1000L;
            long lineTax = total - total * 10000 / 12500;
            amount += total;
            tax += lineTax;
            order.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"physical\",\"reference\":\"SKU-")
                    .append(i)
                    .append("\",\"name\":\"Item ")
                    .append(i)
                    .append("\",\"quantity\":1,\"unit_price\":")
                    .append(total)
                    .append(",\"tax_rate\":2500,\"total_amount\":")
                    .append(total)
                    .append(",\"total_tax_amount\":")
                    .append(lineTax)
                    .append('}');
        }
        order.append("],\"order_amount\":")
                .append(amount)
                .append(",\"order_tax_amount\":")
                .append(tax)
                .append('}');
        Files.writeString(dir.resolve("order.json"), order.toString());
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
