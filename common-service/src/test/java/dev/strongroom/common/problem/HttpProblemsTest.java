package dev.strongroom.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** What a 500 outside the REST layer logs: the failure's classes, never a message that may quote the request. */
class HttpProblemsTest {

    @Test
    void theLogNamesTheFailuresClassesButNoneOfTheirMessages() {
        Throwable failure = new IllegalStateException("Bad string: 'client_secret=s3cr3t%zz'",
                new IOException("Invalid hex byte 'zz' in string: 's3cr3t%zz'"));

        String logged = MessagelessFailure.kinds(failure);

        assertThat(logged).isEqualTo("java.lang.IllegalStateException <- java.io.IOException");
        assertThat(logged).doesNotContain("s3cr3t");
        assertThat(MessagelessFailure.kinds(null)).isEqualTo("no failure recorded");
    }
}
