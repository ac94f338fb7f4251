package dev.tollgate.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bounds what a request body may be before any handler reads it. A body larger than
 * {@link #BODY_SIZE_MAX} ({@link #PROMPT_BODY_SIZE_MAX} where a prompt may travel) is refused with 413
 * {@code payload_too_large}, whether it declares its length or arrives chunked (it is read only up to
 * the limit). A JSON body may nest at most
 * {@link #JSON_DEPTH_MAX} levels and no string or property name in it may hold U+0000, which
 * PostgreSQL cannot store: both are 400 {@code validation_failed} naming the field, instead of a
 * database error deep inside a write. Header sizes are bounded by the server itself
 * ({@code server.max-http-request-header-size}).
 *
 * <p>Runs after Spring Security, so the body of an unauthenticated request is never read.
 */
@Component
public class RequestLimits extends OncePerRequestFilter implements Ordered {

    /** 1 MiB: a backfill of 10,000 accounts with ids and emails fits; anything near it is a mistake. */
    public static final int BODY_SIZE_MAX = 1024 * 1024;
    /**
     * 8 MiB where the body may carry a prompt or chat messages to count: a reservation's {@code prompt}
     * may hold 2,000,000 characters, and the gateway forwards whole chat requests.
     */
    public static final int PROMPT_BODY_SIZE_MAX = 8 * 1024 * 1024;
    private static final String RESERVATIONS_PATH = "/v1/reservations";
    /** A backfill of 10,000 accounts with ids, emails and some metadata. */
    public static final int BATCH_BODY_SIZE_MAX = 16 * 1024 * 1024;
    private static final String BATCH_PATH = "/v1/accounts/batch";
    /** Request shapes nest a few levels, metadata five more; deeper input only costs stack. */
    public static final int JSON_DEPTH_MAX = 32;
    /** After Spring Security's filter chain (order -100). */
    static final int ORDER = 0;

    private final ProblemWriter problems;

    RequestLimits(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        int limit = bodySizeMax(request.getRequestURI());
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            tooLarge(request, response, limit);
            return;
        }
        if (declared <= 0 && request.getHeader("Transfer-Encoding") == null) {
            chain.doFilter(request, response);
            return;
        }
        // A declared length is read into an array of that size (the server ends the stream there); only a
        // chunked body needs the growing buffer. Most bodies are a few hundred bytes.
        byte[] body = declared > 0 ? request.getInputStream().readNBytes((int) declared)
                : readAtMost(request.getInputStream(), limit);
        if (body == null) {
            tooLarge(request, response, limit);
            return;
        }
        if (isJson(request)) {
            Optional<FieldError> error = checkJson(body);
            if (error.isPresent()) {
                String field = error.get().field();
                String message = error.get().message();
                problems.write(request, response, PlatformProblem.VALIDATION_FAILED,
                        field.isEmpty() ? message : field + ": " + message,
                        Map.of("field", field, "errors", List.of(Map.of("field", field, "message", message))));
                return;
            }
        }
        chain.doFilter(new BufferedBody(request, body), response);
    }

    /** The largest body accepted for a request to {@code path}. */
    public static int bodySizeMax(String path) {
        if (BATCH_PATH.equals(path)) {
            return BATCH_BODY_SIZE_MAX;
        }
        boolean prompt = RESERVATIONS_PATH.equals(path) || isGatewayPath(path);
        return prompt ? PROMPT_BODY_SIZE_MAX : BODY_SIZE_MAX;
    }

    /**
     * {@code /<provider>/v1/...}: the gateway of any provider, configured ones included, which this module does not
     * know by name. Tollgate's own API is {@code /v1/...}.
     */
    private static boolean isGatewayPath(String path) {
        int slash = path.indexOf('/', 1);
        return slash > 1 && path.startsWith("/v1/", slash) && !path.startsWith("/v1/");
    }

    private void tooLarge(HttpServletRequest request, HttpServletResponse response, int limit) throws IOException {
        // The rest of the body is not read; the connection cannot be reused for another request.
        response.setHeader("Connection", "close");
        problems.write(request, response, PlatformProblem.PAYLOAD_TOO_LARGE,
                "The request body is larger than " + limit + " bytes.", Map.of("limit_bytes", limit));
    }

    /** The whole stream, or null as soon as it proves longer than {@code limit}. */
    private static byte @Nullable [] readAtMost(InputStream in, int limit) throws IOException {
        var out = new ByteArrayOutputStream(Math.min(limit, 8192));
        byte[] buffer = new byte[8192];
        int read;
        while ((read = in.read(buffer)) != -1) {
            if (out.size() + read > limit) {
                return null;
            }
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }

    private static boolean isJson(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType == null) {
            return false;
        }
        try {
            var type = MediaType.parseMediaType(contentType);
            return type.isCompatibleWith(MediaType.APPLICATION_JSON) || type.getSubtype().endsWith("+json");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The first limit the document breaks. A document that is not valid JSON passes: the handler's own
     * parsing answers it with {@code malformed_json}.
     */
    static Optional<FieldError> checkJson(byte[] body) {
        try (var parser = JsonMapper.shared().createParser(body)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                TokenStreamContext context = parser.streamReadContext();
                if ((token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)
                        && context.getNestingDepth() > JSON_DEPTH_MAX) {
                    return Optional.of(new FieldError(path(context.getParent()),
                            "nests deeper than " + JSON_DEPTH_MAX + " levels"));
                }
                if (token == JsonToken.PROPERTY_NAME && hasNul(parser.currentName())) {
                    return Optional.of(new FieldError(path(context.getParent()), "property names must not contain U+0000"));
                }
                if (token == JsonToken.VALUE_STRING && hasNul(parser.getString())) {
                    return Optional.of(new FieldError(path(context), "must not contain U+0000"));
                }
            }
            return Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    private static boolean hasNul(@Nullable String value) {
        return value != null && value.indexOf('\0') >= 0;
    }

    /** {@code accounts[3].metadata.key}, the way validation problems name fields. */
    private static String path(@Nullable TokenStreamContext context) {
        var segments = new ArrayDeque<String>();
        for (var at = context; at != null && !at.inRoot(); at = at.getParent()) {
            if (at.inArray()) {
                segments.addFirst("[" + Math.max(at.getCurrentIndex(), 0) + "]");
            } else if (at.currentName() != null) {
                segments.addFirst(at.currentName());
            }
        }
        var path = new StringBuilder();
        for (String segment : segments) {
            if (!path.isEmpty() && !segment.startsWith("[")) {
                path.append('.');
            }
            path.append(segment);
        }
        return path.toString();
    }

    record FieldError(String field, String message) {}

    /** The request with its body already read into memory, so handlers can read it once more. */
    private static final class BufferedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        BufferedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            var in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return in.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("The body was read before the handler; it is not asynchronous");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
