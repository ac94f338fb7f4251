package dev.tollgate.platform.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A key server like Supabase's {@code /auth/v1/.well-known/jwks.json}, on the loopback interface: it
 * publishes the public halves of an RSA and an EC signing key and can rotate to new key ids.
 */
public final class JwksServer {

    private final HttpServer server;
    private final AtomicReference<List<JWK>> keys = new AtomicReference<>();
    private final AtomicInteger fetches = new AtomicInteger();

    private JwksServer(HttpServer server) {
        this.server = server;
        keys.set(List.of(newRsaKey(), newEcKey()));
        server.createContext("/auth/v1/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = new JWKSet(keys.get()).toString(true).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public static JwksServer start() {
        try {
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            return new JwksServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/auth/v1/.well-known/jwks.json";
    }

    public RSAKey rsaKey() {
        return (RSAKey) keys.get().get(0);
    }

    public ECKey ecKey() {
        return (ECKey) keys.get().get(1);
    }

    /** How often the JWKS has been fetched. */
    public int fetches() {
        return fetches.get();
    }

    /** Replaces both keys with new ones under new key ids; the old ones are no longer published. */
    public void rotate() {
        keys.set(List.of(newRsaKey(), newEcKey()));
    }

    static RSAKey newRsaKey() {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID("rsa-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static ECKey newEcKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).keyID("ec-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
