package dev.tollgate.portal;

import dev.tollgate.platform.Validation;
import java.net.URI;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /v1/portal-sessions}: a host backend asks for a one-time link to an account's billing page. */
@RestController
class PortalSessionApi {

    private static final int URL_LENGTH_MAX = 2000;

    record PortalSessionRequest(@Nullable String accountId, @Nullable String returnUrl) {}

    record PortalSessionResponse(String id, String url, Instant expiresAt) {}

    private final PortalSessions sessions;

    PortalSessionApi(PortalSessions sessions) {
        this.sessions = sessions;
    }

    @PostMapping("/v1/portal-sessions")
    ResponseEntity<PortalSessionResponse> create(@RequestBody PortalSessionRequest request) {
        String accountId = Validation.accountId(request.accountId(), "account_id");
        String returnUrl = Validation.optionalText(request.returnUrl(), "return_url", URL_LENGTH_MAX);
        if (returnUrl != null) {
            Validation.check(isWebUrl(returnUrl), "return_url", "must be an http or https URL");
        }
        var link = sessions.createLink(accountId, returnUrl);
        return ResponseEntity.status(HttpStatus.CREATED).body(new PortalSessionResponse(link.id(),
                link.url(), link.expiresAt()));
    }

    static boolean isWebUrl(String value) {
        try {
            var uri = URI.create(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
