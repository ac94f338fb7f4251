package dev.tollgate.pages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which CI installs)
 * driven by Selenium. The flags keep it from reaching out to Google's services, which this network refuses.
 */
final class Browser implements AutoCloseable {

    private static final Duration AWAIT_MAX = Duration.ofSeconds(30);

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final WebDriver driver;

    private Browser(WebDriver driver) {
        this.driver = driver;
    }

    static Browser start(int width, int height) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("Page tests need Debian's chromium and chromium-driver "
                    + "(apt-get install chromium chromium-driver); .ci/run installs them.");
        }
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--window-size=" + width + "," + height);
        var logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        var driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
        return new Browser(driver);
    }

    /**
     * Waits for the condition. The bound is generous because a loaded build machine can take seconds to
     * serve a page; it is a ceiling, not a timing the test asserts.
     */
    <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, AWAIT_MAX).until(condition::apply);
    }

    /**
     * Clicks the element with this id once it is there; the billing page redraws itself on every event
     * of the account, so an element found a moment ago may have been replaced since.
     */
    void click(String id) {
        await(driver -> {
            try {
                driver.findElement(By.id(id)).click();
                return true;
            } catch (StaleElementReferenceException | NoSuchElementException e) {
                return null;
            }
        });
    }

    /** The text of the element with this id, read again if the page redrew it meanwhile. */
    String text(String id) {
        return read(driver -> driver.findElement(By.id(id)).getText());
    }

    /** An attribute of the element with this id, read again if the page redrew it meanwhile. */
    String attribute(String id, String name) {
        return read(driver -> driver.findElement(By.id(id)).getAttribute(name));
    }

    /** Reads from the page, again if the element it found was replaced by a redraw before it was read. */
    <T> T read(Function<WebDriver, T> reading) {
        return await(driver -> {
            try {
                return reading.apply(driver);
            } catch (StaleElementReferenceException | NoSuchElementException e) {
                return null;
            }
        });
    }

    /**
     * Errors the console reported since the last call (script errors, refused loads, CSP violations);
     * a call also clears them, so a test starts with none of its predecessors'.
     */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    /** The whole page, not only the window: the window grows to the page's height for the shot. */
    Path screenshot(String name) {
        var window = driver.manage().window();
        Dimension size = window.getSize();
        Object height = ((JavascriptExecutor) driver).executeScript(
                "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight);");
        try {
            window.setSize(new Dimension(size.getWidth(), Math.max(size.getHeight(), ((Number) height).intValue() + 140)));
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            window.setSize(size);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
