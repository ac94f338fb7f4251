package dev.tollgate.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Path segments and query values, percent-encoded: account ids are the host's ids, such as "auth0|123". */
final class Paths {

    private Paths() {}

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
