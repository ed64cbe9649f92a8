package dev.strongroom.sharing;

import static dev.strongroom.sharing.Api.anonymous;
import static dev.strongroom.sharing.Api.plaintext;
import static dev.strongroom.sharing.Api.secret;
import static dev.strongroom.sharing.Api.share;
import static dev.strongroom.sharing.Api.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.strongroom.testing.JwtTestResource;
import dev.strongroom.testing.KafkaTestResource;
import dev.strongroom.testing.MariaDbTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.File;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The share page: its headers, that loading it consumes nothing, and the real thing in headless Chromium (Debian's
 * chromium and chromedriver, driven by Selenium without downloading anything): Reveal decrypts with WebCrypto, a
 * second visit says it was already viewed, a passphrase is asked for.
 */
@QuarkusTest
@WithTestResource(MariaDbTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(SecretsServiceTestResource.class)
@WithTestResource(NotificationTestResource.class)
class SharePageTest {

    static final String CHROMIUM = System.getProperty("strongroom.test.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("strongroom.test.chromedriver", "/usr/bin/chromedriver");

    private static WebDriver browser;

    @TestHTTPResource
    URI base;

    @BeforeAll
    static void startBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void thePageHasStrictHeadersNoExternalResourcesAndConsumesNothing() throws Exception {
        var created = share("alice", secret("alice", "staging", plaintext("page")), Map.of());
        String token = token(created.getString("url"));
        for (int i = 0; i < 3; i++) {
            Response page = RestAssured.given().header("User-Agent", "Slackbot-LinkExpanding 1.0").get("/s/" + token);
            page.then().statusCode(200)
                    .contentType("text/html")
                    .header("Cache-Control", "no-store")
                    .header("Referrer-Policy", "no-referrer")
                    .header("X-Robots-Tag", equalTo("noindex, nofollow"))
                    .header("X-Content-Type-Options", "nosniff");
            String csp = page.header("Content-Security-Policy");
            assertThat(csp).contains("default-src 'none'").contains("script-src 'self'").contains("connect-src 'self'")
                    .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval").doesNotContain("http");
            String html = page.asString();
            assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//").doesNotContain("<script>").contains("Reveal");
        }
        RestAssured.given().head("/s/" + token).then().statusCode(200);
        RestAssured.get("/share-assets/share.js").then().statusCode(200).contentType(org.hamcrest.Matchers.containsString("javascript"));
        assertThat(RestAssured.get("/share-assets/share.js").asString()).doesNotContain("http://").doesNotContain("https://");
        // Nothing was spent: the share still opens, once.
        assertThat(TestDb.column("views_left", created.getString("id"))).isEqualTo(1);
        anonymous().body(Map.of()).post("/v1/shares/" + token + "/open").then().statusCode(200);
    }

    @Test
    void revealInChromiumShowsTheValueAndASecondVisitSaysAlreadyViewed() {
        String value = plaintext("chromium");
        var created = share("alice", secret("alice", "staging", value), Map.of());
        String link = local(created.getString("url"));

        browser.get(link);
        assertThat(TestDb.columnUnchecked("views_left", created.getString("id"))).isEqualTo(1);
        browser.findElement(By.id("reveal")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("value")));
        assertThat(browser.findElement(By.id("value")).getDomProperty("value")).isEqualTo(value);
        assertThat(browser.findElement(By.id("views-left")).getText()).contains("last view");

        browser.navigate().refresh();
        browser.findElement(By.id("reveal")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "already viewed"));
        assertThat(browser.findElement(By.id("value")).getDomProperty("value")).isEmpty();
    }

    @Test
    void aPassphraseIsAskedForInTheBrowser() {
        String value = plaintext("chromium-pass");
        var created = share("alice", secret("alice", "staging", value), Map.of("passphrase", "open sesame please"));
        browser.get(local(created.getString("url")));
        browser.findElement(By.id("reveal")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("passphrase")));
        browser.findElement(By.id("passphrase")).sendKeys("not it");
        browser.findElement(By.id("reveal")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Wrong passphrase"));
        browser.findElement(By.id("passphrase")).clear();
        browser.findElement(By.id("passphrase")).sendKeys("open sesame please");
        browser.findElement(By.id("reveal")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("value")));
        assertThat(browser.findElement(By.id("value")).getDomProperty("value")).isEqualTo(value);
    }

    @Test
    void aLinkWithoutItsKeyOpensNothing() throws Exception {
        var created = share("alice", secret("alice", "staging", plaintext("nokey")), Map.of());
        String link = local(created.getString("url"));
        browser.get(link.substring(0, link.indexOf('#')));
        assertThat(browser.findElement(By.id("status")).getText()).contains("incomplete");
        assertThat(browser.findElements(By.cssSelector("#open-form:not([hidden])"))).isEmpty();
        assertThat(TestDb.column("views_left", created.getString("id"))).isEqualTo(1);
    }

    /** The link with this test app's address instead of the configured public URL. */
    private String local(String url) {
        String path = url.substring(url.indexOf("/s/"));
        return base.resolve("/").toString().replaceAll("/$", "") + path;
    }
}
