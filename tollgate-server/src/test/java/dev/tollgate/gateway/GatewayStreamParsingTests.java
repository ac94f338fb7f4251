package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SSE framing and usage tracking on recorded provider streams: plain JUnit, no Spring. */
class GatewayStreamParsingTests {

    private static List<SseEvent> events(String stream) throws IOException {
        InputStream in = new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8));
        var events = new ArrayList<SseEvent>();
        for (var event = SseEvent.read(in); event.isPresent(); event = SseEvent.read(in)) {
            events.add(event.get());
        }
        return events;
    }

    @Test
    void events_keep_their_exact_bytes_event_names_and_joined_data_lines_with_lf_or_crlf() throws IOException {
        String stream = "event: message_start\r\ndata: {\"a\":1}\r\n\r\n: keep-alive\n\ndata: one\ndata: two\n\n";

        var events = events(stream);

        assertThat(events).hasSize(3);
        assertThat(events.get(0).event()).isEqualTo("message_start");
        assertThat(events.get(0).data()).isEqualTo("{\"a\":1}");
        assertThat(new String(events.get(0).raw(), StandardCharsets.UTF_8))
                .isEqualTo("event: message_start\r\ndata: {\"a\":1}\r\n\r\n");
        assertThat(events.get(1).data()).as("a comment is forwarded, with no data").isEmpty();
        assertThat(events.get(2).data()).isEqualTo("one\ntwo");
        var all = new StringBuilder();
        events.forEach(event -> all.append(new String(event.raw(), StandardCharsets.UTF_8)));
        assertThat(all.toString()).as("forwarded byte for byte").isEqualTo(stream);
    }

    @Test
    void the_injected_usage_chunk_and_null_usages_are_read_and_dropped_for_a_client_that_did_not_ask_for_them()
            throws IOException {
        var tracker = new StreamTracker(Endpoint.CHAT_COMPLETIONS, false);
        var forwarded = new ArrayList<String>();

        for (var event : events("""
                data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}],"usage":null}

                data: {"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":4}}}

                data: [DONE]

                """)) {
            tracker.observe(event).ifPresent(bytes -> forwarded.add(new String(bytes, StandardCharsets.UTF_8)));
        }

        assertThat(forwarded).as("the chunk as a stream without include_usage has it; no usage chunk").containsExactly(
                "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
                        + "{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n",
                "data: [DONE]\n\n");
        assertThat(tracker.reported()).contains(new Usage(12, 3, 4, false));
        assertThat(tracker.finished()).isTrue();
        assertThat(tracker.streamedText()).isEqualTo("Hi");
    }

    @Test
    void anthropic_usage_adds_cache_reads_and_writes_to_input_and_takes_output_from_message_delta()
            throws IOException {
        var tracker = new StreamTracker(Endpoint.MESSAGES, false);

        for (var event : events("""
                event: message_start
                data: {"type":"message_start","message":{"usage":{"input_tokens":10,"cache_creation_input_tokens":5,"cache_read_input_tokens":100,"output_tokens":1}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":42}}

                event: message_stop
                data: {"type":"message_stop"}

                """)) {
            assertThat(tracker.observe(event)).contains(event.raw());
        }

        assertThat(tracker.reported()).contains(new Usage(115, 42, 100, 5, 0, false));
        assertThat(tracker.finished()).isTrue();
    }

    @Test
    void a_stream_cut_before_its_usage_is_estimated_from_the_reported_input_and_the_streamed_text()
            throws IOException {
        var tracker = new StreamTracker(Endpoint.MESSAGES, false);
        for (var event : events("""
                event: message_start
                data: {"type":"message_start","message":{"usage":{"input_tokens":70,"output_tokens":1}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}

                """)) {
            tracker.observe(event);
        }

        assertThat(tracker.reported()).isEmpty();
        assertThat(tracker.estimate(999, 2)).isEqualTo(new Usage(70, 2, 0, true));
        assertThat(tracker.streamedText()).isEqualTo("Hel");
    }

    @Test
    void an_incomplete_response_reports_the_usage_it_had() throws IOException {
        var tracker = new StreamTracker(Endpoint.RESPONSES, false);
        for (var event : events("""
                event: response.incomplete
                data: {"type":"response.incomplete","response":{"status":"incomplete","usage":{"input_tokens":30,"input_tokens_details":{"cached_tokens":0},"output_tokens":256,"total_tokens":286}}}

                """)) {
            tracker.observe(event);
        }

        assertThat(tracker.reported()).contains(new Usage(30, 256, 0, false));
        assertThat(tracker.finished()).isTrue();
    }
}
