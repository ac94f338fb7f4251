package dev.tollgate.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One Server-Sent Event as it came from the upstream: its exact bytes (forwarded unchanged, {@code event:}
 * lines included, which the Anthropic SDKs dispatch on), its event name and its data lines joined.
 */
record SseEvent(byte[] raw, @Nullable String event, String data) {

    /** Longest event accepted; a provider's chunk is a few hundred bytes, a tool call's arguments more. */
    static final int EVENT_SIZE_MAX = 4 * 1024 * 1024;

    /** Reads the next event, or empty at the end of the stream. Lines end with LF or CRLF. */
    static Optional<SseEvent> read(InputStream in) throws IOException {
        var raw = new ByteArrayOutputStream(512);
        var line = new ByteArrayOutputStream(256);
        String event = null;
        var data = new StringBuilder();
        boolean anyData = false;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return raw.size() == 0 && line.size() == 0 ? Optional.empty()
                        : Optional.of(new SseEvent(raw.toByteArray(), event, data.toString()));
            }
            raw.write(b);
            if (raw.size() > EVENT_SIZE_MAX) {
                throw new IOException("an upstream event exceeded " + EVENT_SIZE_MAX + " bytes");
            }
            if (b != '\n') {
                line.write(b);
                continue;
            }
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            if (text.isEmpty()) {
                if (raw.size() > 2 || anyData || event != null) {
                    return Optional.of(new SseEvent(raw.toByteArray(), event, data.toString()));
                }
                raw.reset();
                continue;
            }
            if (text.startsWith("event:")) {
                event = text.substring(6).strip();
            } else if (text.startsWith("data:")) {
                if (anyData) {
                    data.append('\n');
                }
                data.append(text.startsWith("data: ") ? text.substring(6) : text.substring(5));
                anyData = true;
            }
        }
    }
}
