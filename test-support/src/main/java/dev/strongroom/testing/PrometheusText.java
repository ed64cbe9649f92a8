package dev.strongroom.testing;

import static io.restassured.RestAssured.given;

import java.util.Arrays;

/** Reads metric values out of the Prometheus text format a service serves at {@code /q/metrics}. */
public final class PrometheusText {

    private PrometheusText() {}

    /**
     * The sum of the samples of metric {@code name} (every series, or those whose labels include each of
     * {@code labels}, written as {@code key="value"}) in the exposition text {@code metrics}.
     */
    public static double sum(String metrics, String name, String... labels) {
        return metrics.lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .filter(line -> Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** {@link #sum} over what the application under test (RestAssured's default base URI) serves now. */
    public static double scrape(String name, String... labels) {
        return sum(given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString(), name, labels);
    }
}
