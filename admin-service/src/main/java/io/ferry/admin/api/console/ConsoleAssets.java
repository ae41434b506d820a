package io.ferry.admin.api.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

// The console's static files, read from the jar's resources once and then kept in memory (a few small
// files), so that serving them needs no file system: Vert.x's static handler would copy classpath files to
// a cache directory, which a read-only container does not have.
final class ConsoleAssets {

  // One file as served: its bytes, content type and a strong validator.
  record Asset(byte[] bytes, String contentType, String etag) {

    // A buffer per response: one buffer written from several event loops is not safe.
    Buffer body() {
      return Buffer.buffer(bytes);
    }
  }

  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "json", "application/json");

  private final String root;
  private final Map<String, Optional<Asset>> loaded = new ConcurrentHashMap<>();

  ConsoleAssets(String root) {
    this.root = root;
  }

  // The file `name` of `folder` (a fixed name of the caller's), empty when there is none; names are checked
  // first, so no request can climb out of the root.
  Future<Optional<Asset>> find(Vertx vertx, String folder, String name) {
    if (name == null || !SAFE_NAME.matcher(name).matches() || type(name) == null) {
      return Future.succeededFuture(Optional.empty());
    }
    String path = root + (folder.isEmpty() ? "" : folder + "/") + name;
    Optional<Asset> known = loaded.get(path);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    // Reading from the jar is blocking I/O: once per file, off the event loop.
    return vertx.executeBlocking(() -> loaded.computeIfAbsent(path, ConsoleAssets::read));
  }

  private static Optional<Asset> read(String path) {
    try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16) + "\"";
      return Optional.of(new Asset(bytes, type(path), etag));
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot read console resource " + path, e);
    }
  }

  private static String type(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? null : TYPES.get(name.substring(dot + 1));
  }
}
