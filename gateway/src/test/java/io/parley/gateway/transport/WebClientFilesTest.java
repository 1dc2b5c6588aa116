package io.parley.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The browser client's files as the gateway serves them: read once from a jar (as in the standalone
 * jar) or a directory (as in the build), answered from memory with the security headers, nothing
 * outside the bundle, and nothing at all when the web jar is absent.
 */
class WebClientFilesTest {
  static Vertx vertx;
  static Path dir;
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    dir = Files.createTempDirectory("parley-web-files-");
    Path web = Files.createDirectories(dir.resolve("classes/parley-web"));
    Files.writeString(web.resolve("index.html"), "<!doctype html><script type=\"module\" src=\"app.js\"></script>");
    Files.writeString(web.resolve("app.js"), "export const hello = 1;\n");
    Files.writeString(web.resolve("notes.md"), "not a served type\n");
    Files.writeString(dir.resolve("classes/secret.txt"), "outside the bundle\n");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(dir.resolve("web.jar")))) {
      for (String name : new String[] {"parley-web/index.html", "parley-web/app.js", "secret.txt"}) {
        jar.putNextEntry(new JarEntry(name));
        jar.write(Files.readAllBytes(dir.resolve("classes").resolve(name)));
        jar.closeEntry();
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static WebClientFiles load(Path classpathEntry) throws Exception {
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classpathEntry.toUri().toURL()}, null)) {
      return WebClientFiles.load(loader);
    }
  }

  static String serve(WebClientFiles files) throws Exception {
    HttpServer server = vertx.createHttpServer().requestHandler(files::handle);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return "http://127.0.0.1:" + server.actualPort();
  }

  static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void a_jar_and_a_directory_give_the_same_files_and_the_same_bundle_hash() throws Exception {
    WebClientFiles fromJar = load(dir.resolve("web.jar"));
    WebClientFiles fromDirectory = load(dir.resolve("classes"));

    assertThat(fromJar.size()).isEqualTo(2);
    assertThat(fromDirectory.size()).isEqualTo(2);
    assertThat(fromJar.bundleSha256()).hasSize(64).isEqualTo(fromDirectory.bundleSha256());
  }

  @Test
  void the_page_comes_with_the_security_headers_and_closes_its_connection() throws Exception {
    String base = serve(load(dir.resolve("web.jar")));

    HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(base + "/")));

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("src=\"app.js\"");
    assertThat(page.headers().firstValue("content-security-policy")).hasValue(WebClientFiles.CONTENT_SECURITY_POLICY);
    assertThat(WebClientFiles.CONTENT_SECURITY_POLICY).contains("frame-ancestors 'none'").doesNotContain("unsafe");
    assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    assertThat(page.headers().firstValue("x-frame-options")).hasValue("DENY");
    assertThat(page.headers().firstValue("connection")).hasValue("close");
    HttpResponse<String> script = send(HttpRequest.newBuilder(URI.create(base + "/app.js")));
    assertThat(script.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
    assertThat(script.body()).isEqualTo("export const hello = 1;\n");
  }

  @Test
  void an_unchanged_file_is_not_sent_again() throws Exception {
    String base = serve(load(dir.resolve("classes")));
    String etag = send(HttpRequest.newBuilder(URI.create(base + "/app.js"))).headers().firstValue("etag").orElseThrow();

    HttpResponse<String> again = send(HttpRequest.newBuilder(URI.create(base + "/app.js")).header("If-None-Match", etag));

    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void nothing_outside_the_bundle_or_of_an_unknown_type_is_served_and_only_get_and_head_are_answered() throws Exception {
    String base = serve(load(dir.resolve("web.jar")));

    assertThat(send(HttpRequest.newBuilder(URI.create(base + "/../secret.txt"))).statusCode()).isEqualTo(404);
    assertThat(send(HttpRequest.newBuilder(URI.create(base + "/secret.txt"))).statusCode()).isEqualTo(404);
    assertThat(send(HttpRequest.newBuilder(URI.create(base + "/notes.md"))).statusCode()).isEqualTo(404);
    HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(base + "/")).POST(HttpRequest.BodyPublishers.ofString("x")));
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
    HttpResponse<String> head = send(HttpRequest.newBuilder(URI.create(base + "/app.js")).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("content-length")).hasValue(Integer.toString("export const hello = 1;\n".getBytes(StandardCharsets.UTF_8).length));
  }

  @Test
  void a_gateway_without_the_web_jar_serves_nothing() throws Exception {
    WebClientFiles none = load(Files.createDirectories(dir.resolve("empty")));
    assertThat(none.size()).isZero();
    assertThat(none.bundleSha256()).isEmpty();

    String base = serve(none);

    assertThat(send(HttpRequest.newBuilder(URI.create(base + "/"))).statusCode()).isEqualTo(404);
  }
}
