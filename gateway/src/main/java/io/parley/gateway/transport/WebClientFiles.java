package io.parley.gateway.transport;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The browser client (module {@code web}, resources under {@code parley-web/}) served over plain HTTP
 * on the WebSocket port, so the page and its WebSocket share one origin. Every file is read once, at
 * start, into memory: a GET is a map lookup and one write, never a disk read or a path built from
 * the request, and HTTP on this port costs no more than the pending upgrade it already is. A gateway
 * without the web jar on its classpath serves nothing but 404s.
 *
 * <p>Every answer carries a Content-Security-Policy that allows only this origin's scripts (no inline
 * script, no third party), the page's own WebSocket, and no framing; and the connection closes after
 * the answer, so a page load holds its handshake slots for milliseconds, not the handshake timeout.
 */
public final class WebClientFiles {
  static final String RESOURCE_ROOT = "parley-web/";

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; worker-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final Map<String, String> CONTENT_TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "png", "image/png",
      "svg", "image/svg+xml",
      "txt", "text/plain; charset=utf-8");

  private record File(Buffer bytes, String contentType, String etag) {}

  private final Map<String, File> files;
  private final String bundleSha256;

  private WebClientFiles(Map<String, File> files, String bundleSha256) {
    this.files = files;
    this.bundleSha256 = bundleSha256;
  }

  /** Loads every file under {@code parley-web/} from the classpath; none when the web jar is absent. */
  public static WebClientFiles load(ClassLoader loader) {
    Map<String, byte[]> raw = new TreeMap<>();
    URL index = loader.getResource(RESOURCE_ROOT + "index.html");
    if (index != null) {
      try {
        readAll(index, raw);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the web client from " + index, e);
      }
    }
    Map<String, File> files = new TreeMap<>();
    MessageDigest bundle = sha256();
    raw.forEach((name, bytes) -> {
      String type = CONTENT_TYPES.get(name.substring(name.lastIndexOf('.') + 1));
      if (type == null) {
        return;
      }
      byte[] digest = sha256().digest(bytes);
      bundle.update((name + "\n" + HexFormat.of().formatHex(digest) + "\n").getBytes(StandardCharsets.UTF_8));
      files.put("/" + name, new File(Buffer.buffer(bytes), type, "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\""));
    });
    return new WebClientFiles(Map.copyOf(files), files.isEmpty() ? "" : HexFormat.of().formatHex(bundle.digest()));
  }

  public int size() {
    return files.size();
  }

  /**
   * SHA-256 over the sorted lines {@code name \n sha256(file) \n}: the value an operator publishes so
   * that people can check the code their browser was served (docs/web.md).
   */
  public String bundleSha256() {
    return bundleSha256;
  }

  public void handle(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    secureHeaders(response);
    response.putHeader(HttpHeaders.CONNECTION, "close");
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      response.putHeader(HttpHeaders.ALLOW, "GET, HEAD").setStatusCode(405).end();
      return;
    }
    String path = request.path();
    File file = files.get(path == null || path.equals("/") ? "/index.html" : path);
    if (file == null) {
      response.setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end("not found\n");
      return;
    }
    response
        .putHeader(HttpHeaders.CONTENT_TYPE, file.contentType())
        .putHeader(HttpHeaders.ETAG, file.etag())
        // Revalidated on every load: a page that keeps an old script after an upgrade would speak an old protocol.
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    if (file.etag().equals(request.getHeader(HttpHeaders.IF_NONE_MATCH))) {
      response.setStatusCode(304).end();
    } else if (request.method() == HttpMethod.HEAD) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(file.bytes().length())).end();
    } else {
      response.end(file.bytes());
    }
  }

  private static void secureHeaders(HttpServerResponse response) {
    response
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cross-Origin-Opener-Policy", "same-origin")
        .putHeader("Cross-Origin-Resource-Policy", "same-origin")
        .putHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
  }

  private static void readAll(URL index, Map<String, byte[]> out) throws IOException {
    if ("jar".equals(index.getProtocol())) {
      JarURLConnection connection = (JarURLConnection) index.openConnection();
      connection.setUseCaches(false);
      try (JarFile jar = connection.getJarFile()) {
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
          JarEntry entry = entries.nextElement();
          if (!entry.isDirectory() && entry.getName().startsWith(RESOURCE_ROOT)) {
            try (InputStream in = jar.getInputStream(entry)) {
              out.put(entry.getName().substring(RESOURCE_ROOT.length()), in.readAllBytes());
            }
          }
        }
      }
      return;
    }
    Path root;
    try {
      root = Paths.get(index.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IOException("not a file URL: " + index, e);
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        out.put(root.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
