package dev.strongroom.audit.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** strongroom.audit.hec.url may be HEC's base URL or a full endpoint URL as Splunk's docs write it. */
class HecUrlTest {

    @Test
    void baseUrlAndEndpointUrlsNameTheSameCollector() {
        URI base = URI.create("https://splunk.example.com:8088");
        for (String configured : new String[] {
                "https://splunk.example.com:8088",
                "https://splunk.example.com:8088/",
                "https://splunk.example.com:8088/services/collector",
                "https://splunk.example.com:8088/services/collector/event",
                "https://splunk.example.com:8088/services/collector/event/",
                "https://splunk.example.com:8088/services/collector/event/1.0",
                "https://splunk.example.com:8088/services/collector/raw",
                " https://splunk.example.com:8088/Services/Collector/Event "}) {
            assertThat(HecClient.baseUrl(configured)).as(configured).isEqualTo(base);
        }
    }

    @Test
    void aPathInFrontOfTheCollectorIsKept() {
        assertThat(HecClient.baseUrl("https://proxy.example.com/splunk/services/collector/event"))
                .isEqualTo(URI.create("https://proxy.example.com/splunk"));
        assertThat(HecClient.baseUrl("https://proxy.example.com/splunk"))
                .isEqualTo(URI.create("https://proxy.example.com/splunk"));
    }
}
