package dev.tollgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TollgateServerTests {

    @Test
    void argument_file_entries_are_quoted_with_quotes_and_backslashes_escaped() {
        assertThat(TollgateServer.quoted("/opt/my jars/server.jar")).isEqualTo("\"/opt/my jars/server.jar\"");
        assertThat(TollgateServer.quoted("C:\\a\"b")).isEqualTo("\"C:\\\\a\\\"b\"");
    }
}
