package dev.tollgate.platform.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** Mints end-user JWTs shaped like Supabase's, good ones and every kind of bad one. */
public final class Tokens {

    public static final String ISSUER = "https://test-project.supabase.co/auth/v1";

    private final String secret;
    private final JwksServer jwks;
    private final Clock clock;

    public Tokens(String secret, JwksServer jwks, Clock clock) {
        this.secret = secret;
        this.jwks = jwks;
        this.clock = clock;
    }

    /** The claims Supabase puts in a signed-in user's access token. */
    public JWTClaimsSet.Builder claims(String accountId) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(accountId)
                .audience("authenticated")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                .claim("email", accountId + "@example.com")
                .claim("role", "authenticated")
                .claim("aal", "aal1")
                .claim("session_id", UUID.randomUUID().toString())
                .claim("is_anonymous", false);
    }

    /** A valid HS256 token for the account, as Supabase signs with the project's JWT secret. */
    public String hs256(String accountId) {
        return hs256(claims(accountId).build());
    }

    public String hs256(JWTClaimsSet claims) {
        return sign(JWSAlgorithm.HS256, null, mac(secret.getBytes(StandardCharsets.UTF_8)), claims);
    }

    public String hs256(String accountId, UnaryOperator<JWTClaimsSet.Builder> change) {
        return hs256(change.apply(claims(accountId)).build());
    }

    public String rs256(String accountId) {
        return rs256(jwks.rsaKey(), claims(accountId).build());
    }

    public String rs256(RSAKey key, JWTClaimsSet claims) {
        try {
            return sign(JWSAlgorithm.RS256, key.getKeyID(), new RSASSASigner(key), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public String es256(String accountId) {
        return es256(jwks.ecKey(), claims(accountId).build());
    }

    public String es256(ECKey key, JWTClaimsSet claims) {
        try {
            return sign(JWSAlgorithm.ES256, key.getKeyID(), new ECDSASigner(key), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Expired well beyond the tolerated clock skew. */
    public String expired(String accountId) {
        Instant now = clock.instant();
        return hs256(accountId, claims -> claims
                .issueTime(Date.from(now.minus(Duration.ofHours(2))))
                .expirationTime(Date.from(now.minus(Duration.ofMinutes(5)))));
    }

    /** {@code alg: none}: the claims are right, there is no signature. */
    public String unsigned(String accountId) {
        return new PlainJWT(claims(accountId).build()).serialize();
    }

    /** HS256 with a secret that is not the project's. */
    public String wrongKey(String accountId) {
        byte[] other = "a-different-secret-of-thirty-two-bytes-or-more".getBytes(StandardCharsets.UTF_8);
        return sign(JWSAlgorithm.HS256, null, mac(other), claims(accountId).build());
    }

    /** RS256 under the published key id, but signed by another private key. */
    public String forgedWithPublishedKid(String accountId) {
        RSAKey impostor = JwksServer.newRsaKey();
        try {
            return sign(JWSAlgorithm.RS256, jwks.rsaKey().getKeyID(), new RSASSASigner(impostor),
                    claims(accountId).build());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The classic algorithm confusion: HS256 with the published RSA public key as the HMAC secret. */
    public String hmacWithPublicKey(String accountId) {
        byte[] publicKey;
        try {
            publicKey = jwks.rsaKey().toRSAPublicKey().getEncoded();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return sign(JWSAlgorithm.HS256, jwks.rsaKey().getKeyID(), mac(publicKey),
                claims(accountId).build());
    }

    private static String sign(JWSAlgorithm algorithm, String keyId, JWSSigner signer, JWTClaimsSet claims) {
        var header = new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID(keyId).build();
        var jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static JWSSigner mac(byte[] key) {
        try {
            return new MACSigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
