package io.ferry.contracts.runtime;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The files of {@code /docs}: its page and start-up script, and Swagger UI's bundle and style sheet from the
 * {@code org.webjars:swagger-ui} jar, so that the rendered reference needs no network.
 */
final class DocsAssets {

  static final String PAGE = "index.html";
  private static final String OWN = "docs/";
  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
  private static final String WEBJAR_VERSION = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
  private static final Map<String, String> FILES = Map.of(
      PAGE, "text/html; charset=utf-8",
      "start.js", "text/javascript; charset=utf-8",
      "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
      "swagger-ui.css", "text/css; charset=utf-8",
      "favicon-32x32.png", "image/png");

  record Asset(String contentType, Buffer bytes) {
  }

  private final Map<String, Asset> assets;

  private DocsAssets(Map<String, Asset> assets) {
    this.assets = assets;
  }

  /** Reads every file from the classpath (blocking). */
  static DocsAssets read() {
    String webjar = WEBJAR + webjarVersion() + "/";
    Map<String, Asset> assets = new HashMap<>();
    FILES.forEach((name, type) -> {
      String resource = name.equals(PAGE) || name.equals("start.js") ? OWN + name : webjar + name;
      assets.put(name, new Asset(type, Buffer.buffer(bytes(resource))));
    });
    return new DocsAssets(Map.copyOf(assets));
  }

  /** The file called {@code name}, or null. */
  Asset get(String name) {
    return assets.get(name);
  }

  private static String webjarVersion() {
    Properties properties = new Properties();
    try (InputStream in = resource(WEBJAR_VERSION)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version");
  }

  private static byte[] bytes(String name) {
    try (InputStream in = resource(name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = DocsAssets.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("missing resource " + name + " (the swagger-ui WebJar belongs on the classpath)");
    }
    return in;
  }
}
