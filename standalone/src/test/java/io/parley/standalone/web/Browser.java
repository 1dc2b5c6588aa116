package io.parley.standalone.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian Chromium with its own fresh profile (so its own device id, chat key and
 * IndexedDB), driven through Debian's chromedriver. Both binaries are named explicitly so that
 * Selenium never tries to download a browser or a driver. Every wait is for something the page shows,
 * with a deadline.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  final String name;
  final ChromeDriver driver;
  private final Path profile;

  private Browser(String name, ChromeDriver driver, Path profile) {
    this.name = name;
    this.driver = driver;
    this.profile = profile;
  }

  /** Fails loudly when Chromium is missing: .ci/run installs it, a developer installs it the same way. */
  static void requireChromium() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new AssertionError(
          "the browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
              + "): apt-get install -y chromium chromium-driver — .ci/run installs them when missing");
    }
  }

  static Browser start(String name) throws IOException {
    requireChromium();
    Path profile = Files.createTempDirectory("parley-chromium-" + name + "-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
        "--window-size=1280,900", "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
    return new Browser(name, new ChromeDriver(service, options), profile);
  }

  void open(String url) {
    driver.get(url);
  }

  WebElement byId(String id) {
    return new WebDriverWait(driver, DEADLINE).until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  void type(String id, String text) {
    WebElement field = byId(id);
    field.clear();
    field.sendKeys(text);
  }

  /** Sets a date input through its value: typing into one depends on the browser's locale. */
  void setValue(String id, String value) {
    ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1];", byId(id), value);
  }

  void click(String id) {
    new WebDriverWait(driver, DEADLINE).until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
  }

  void click(By locator) {
    new WebDriverWait(driver, DEADLINE).until(ExpectedConditions.elementToBeClickable(locator)).click();
  }

  /** Waits until the element shows the text (a substring of what it shows). */
  void waitForText(String id, String text) {
    try {
      new WebDriverWait(driver, DEADLINE).until(ExpectedConditions.textToBePresentInElementLocated(By.id(id), text));
    } catch (RuntimeException e) {
      throw new AssertionError(name + ": #" + id + " never showed '" + text + "'; it shows '" + textOf(id) + "'; error box: '"
          + textOf("error") + "'", e);
    }
  }

  /** The message of the open conversation that shows exactly this text. */
  WebElement message(String text) {
    By locator = messageLocator(text);
    try {
      return new WebDriverWait(driver, DEADLINE).until(ExpectedConditions.visibilityOfElementLocated(locator));
    } catch (RuntimeException e) {
      throw new AssertionError(name + " never showed the message '" + text + "'; messages: " + messages() + "; error box: '"
          + textOf("error") + "'", e);
    }
  }

  static By messageLocator(String text) {
    return By.xpath("//li[contains(@class,'msg')][span[@class='text' and normalize-space(.)=" + xpathLiteral(text) + "]]");
  }

  void waitUntil(String what, java.util.function.Function<WebDriver, Boolean> condition) {
    try {
      new WebDriverWait(driver, DEADLINE).until(condition::apply);
    } catch (RuntimeException e) {
      throw new AssertionError(name + ": " + what + "; messages: " + messages() + "; error box: '" + textOf("error") + "'", e);
    }
  }

  List<String> messages() {
    return driver.findElements(By.cssSelector("#messages li")).stream().map(WebElement::getText).toList();
  }

  String textOf(String id) {
    List<WebElement> found = driver.findElements(By.id(id));
    return found.isEmpty() ? "(absent)" : found.get(0).getText();
  }

  /**
   * Cuts the page off as a lost network would: Chromium's offline switch (DevTools) refuses new
   * connections, but leaves an open WebSocket alone, so the sockets the page opened (recorded by a
   * script DevTools injects before any page script runs) are closed too.
   */
  void goOffline() {
    setNetwork(false);
    script("for (const socket of window.parleyTestSockets ?? []) socket.close();");
  }

  void goOnline() {
    setNetwork(true);
  }

  private void setNetwork(boolean online) {
    driver.executeCdpCommand("Network.enable", Map.of());
    driver.executeCdpCommand(
        "Network.emulateNetworkConditions", Map.of("offline", !online, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
  }

  /** From the next page load on, every WebSocket the page opens is kept in window.parleyTestSockets. */
  void recordWebSockets() {
    driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
        window.parleyTestSockets = [];
        const NativeWebSocket = window.WebSocket;
        window.WebSocket = class extends NativeWebSocket {
          constructor(...args) {
            super(...args);
            window.parleyTestSockets.push(this);
          }
        };
        """));
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  Object asyncScript(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeAsyncScript(js, args);
  }

  /** Saves what the page shows now as a PNG (the screenshots of docs/web.md come from here). */
  void screenshot(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
  }

  static String xpathLiteral(String text) {
    if (!text.contains("'")) {
      return "'" + text + "'";
    }
    return "concat('" + text.replace("'", "', \"'\", '") + "')";
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
