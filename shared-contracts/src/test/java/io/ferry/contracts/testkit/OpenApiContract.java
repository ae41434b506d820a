package io.ferry.contracts.testkit;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Ferry's OpenAPI document as a test oracle: what a real OpenAPI parser says about it, which operations it
 * lists (each under every server prefix it is served at), and whether a real response matches the schema the
 * document gives for its operation, status and content type.
 */
public final class OpenApiContract {

  private static final Pattern TEMPLATE_PARAM = Pattern.compile("\\{([^}/]+)}");
  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch",
      "trace");

  private final String text;
  private final JsonObject document;
  private final List<Operation> operations = new ArrayList<>();
  private final SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30());
  private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

  /** One documented operation at one served path. */
  public record Operation(String method, String servedPath, String documentedPath, JsonObject operation,
      Pattern matcher) {

    /** {@code "METHOD /served/path/{param}"}. */
    public String route() {
      return method + " " + servedPath;
    }
  }

  private OpenApiContract(String text, JsonObject document) {
    this.text = text;
    this.document = document;
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String prefix : prefixes(item.getJsonArray("servers", document.getJsonArray("servers")))) {
        String served = prefix + path;
        Pattern matcher = Pattern.compile(
            "^" + TEMPLATE_PARAM.matcher(Pattern.quote(served)).replaceAll("\\\\E[^/]+\\\\Q") + "$");
        for (String method : METHODS) {
          if (item.containsKey(method)) {
            operations.add(new Operation(method.toUpperCase(Locale.ROOT), served, path,
                item.getJsonObject(method), matcher));
          }
        }
      }
    }
  }

  /** Reads the document as served (YAML or JSON). */
  public static OpenApiContract parse(String text) {
    Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    @SuppressWarnings("unchecked")
    JsonObject document = new JsonObject((Map<String, Object>) loaded);
    return new OpenApiContract(text, new JsonObject(document.encode()));
  }

  public JsonObject document() {
    return document;
  }

  /** The messages of swagger-parser (errors and warnings) about the document; none for a valid one. */
  public List<String> parserMessages() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIParser().readContents(text, null, options);
    List<String> messages = new ArrayList<>(result.getMessages() == null ? List.of() : result.getMessages());
    if (result.getOpenAPI() == null) {
      messages.add("the parser read no OpenAPI document");
    }
    return messages;
  }

  /** Every operation, once per server prefix it is served under. */
  public List<Operation> operations() {
    return List.copyOf(operations);
  }

  /** The documented operations' routes, {@code "METHOD /served/path/{param}"}, sorted. */
  public List<String> routes() {
    TreeSet<String> routes = new TreeSet<>();
    operations.forEach(op -> routes.add(op.route()));
    return new ArrayList<>(routes);
  }

  /** Distinct operations as documented (a Cloudflare operation counts once, whatever its prefixes). */
  public int operationCount() {
    return (int) operations.stream().map(op -> op.method() + " " + op.documentedPath()).distinct().count();
  }

  /** Problems with each operation that a parser lets pass: no operationId, undeclared path parameters. */
  public List<String> operationProblems() {
    List<String> problems = new ArrayList<>();
    TreeSet<String> ids = new TreeSet<>();
    operations.stream().filter(op -> op.servedPath().endsWith(op.documentedPath())).forEach(op -> {
      String where = op.method() + " " + op.documentedPath();
      String id = op.operation().getString("operationId");
      if (id == null || id.isBlank()) {
        problems.add(where + ": no operationId");
      } else if (!ids.add(id) && !op.servedPath().equals(op.documentedPath())) {
        problems.add(where + ": operationId " + id + " is used twice");
      }
      TreeSet<String> declared = new TreeSet<>();
      JsonObject item = document.getJsonObject("paths").getJsonObject(op.documentedPath());
      for (JsonArray params : new JsonArray[] {item.getJsonArray("parameters", new JsonArray()),
          op.operation().getJsonArray("parameters", new JsonArray())}) {
        for (Object param : params) {
          JsonObject resolved = resolve((JsonObject) param);
          if ("path".equals(resolved.getString("in"))) {
            declared.add(resolved.getString("name"));
          }
        }
      }
      TreeSet<String> inTemplate = new TreeSet<>();
      Matcher m = TEMPLATE_PARAM.matcher(op.documentedPath());
      while (m.find()) {
        inTemplate.add(m.group(1));
      }
      if (!inTemplate.equals(declared)) {
        problems.add(where + ": path parameters " + inTemplate + " but declared " + declared);
      }
      if (op.operation().getJsonArray("tags", new JsonArray()).isEmpty()) {
        problems.add(where + ": no tag");
      }
    });
    return problems;
  }

  /**
   * What Redocly's recommended rules would report, checked offline: a summary, a success response (2xx, 101
   * for a WebSocket upgrade, or 3xx for an operation that only redirects) and, where the client sends anything, a 4xx response per operation; unique
   * parameters; security everywhere; tags declared and described; no unused schema; every example valid
   * against its schema.
   */
  public List<String> lint() {
    List<String> problems = new ArrayList<>();
    TreeSet<String> tags = new TreeSet<>();
    for (Object tag : document.getJsonArray("tags", new JsonArray())) {
      tags.add(((JsonObject) tag).getString("name"));
      if (((JsonObject) tag).getString("description", "").isBlank()) {
        problems.add("tag " + ((JsonObject) tag).getString("name") + ": no description");
      }
    }
    if (document.getJsonArray("servers", new JsonArray()).isEmpty()) {
      problems.add("no servers");
    }
    operations.stream().filter(op -> op.servedPath().endsWith(op.documentedPath())).forEach(op -> {
      String where = op.method() + " " + op.documentedPath();
      JsonObject operation = op.operation();
      if (operation.getString("summary", "").isBlank()) {
        problems.add(where + ": no summary");
      }
      JsonObject responses = operation.getJsonObject("responses", new JsonObject());
      if (responses.fieldNames().stream().noneMatch(status -> status.startsWith("2") || status.equals("101")
          || status.startsWith("3"))) {
        problems.add(where + ": no success response");
      }
      boolean takesInput = operation.containsKey("requestBody")
          || !operation.getJsonArray("parameters", new JsonArray()).isEmpty();
      if (takesInput && responses.fieldNames().stream().noneMatch(status -> status.startsWith("4"))) {
        problems.add(where + ": takes input but documents no 4xx response");
      }
      TreeSet<String> params = new TreeSet<>();
      for (Object param : operation.getJsonArray("parameters", new JsonArray())) {
        JsonObject resolved = resolve((JsonObject) param);
        if (!params.add(resolved.getString("in") + ":" + resolved.getString("name"))) {
          problems.add(where + ": parameter " + resolved.getString("name") + " declared twice");
        }
      }
      if (!operation.containsKey("security") && !document.containsKey("security")) {
        problems.add(where + ": no security");
      }
      for (Object tag : operation.getJsonArray("tags", new JsonArray())) {
        if (!tags.contains(tag)) {
          problems.add(where + ": tag " + tag + " is not declared");
        }
      }
    });
    String whole = document.encode();
    for (String name : document.getJsonObject("components").getJsonObject("schemas").fieldNames()) {
      if (!whole.contains("\"#/components/schemas/" + name + "\"")) {
        problems.add("schema " + name + " is never used");
      }
    }
    examples(document, "#", problems);
    return problems;
  }

  // Every schema with an example: the example must validate against the schema.
  private void examples(Object node, String at, List<String> problems) {
    if (node instanceof JsonObject object) {
      if (object.containsKey("example") && (object.containsKey("type") || object.containsKey("allOf"))) {
        JsonObject schema = object.copy();
        schema.remove("example");
        for (Error error : schemas.getSchema(inline(schema).encode(), InputFormat.JSON)
            .validate(Json.encode(object.getValue("example")), InputFormat.JSON)) {
          problems.add("example at " + at + " does not match its schema: " + error);
        }
      }
      object.forEach(entry -> {
        if (!entry.getKey().equals("example")) {
          examples(entry.getValue(), at + "/" + entry.getKey(), problems);
        }
      });
    } else if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        examples(array.getValue(i), at + "/" + i, problems);
      }
    }
  }

  /** The operation serving {@code method} on {@code path} (no query), or null. */
  public Operation find(String method, String path) {
    Operation best = null;
    for (Operation op : operations) {
      if (op.method().equalsIgnoreCase(method) && op.matcher().matcher(path).matches()
          // A literal segment beats a parameter: /v1/listeners is not /v1/{anything}.
          && (best == null || literalLength(op) > literalLength(best))) {
        best = op;
      }
    }
    return best;
  }

  /**
   * Why a response does not match the document, or an empty list: the operation exists, the status is
   * documented, the content type is one the document gives for that status, and the body validates against
   * its schema.
   */
  public List<String> check(String method, String uri, int status, String contentType, String body) {
    String path = URI.create(uri).getRawPath();
    String what = method + " " + path + " -> " + status;
    Operation op = find(method, path);
    if (op == null) {
      return List.of(what + ": no documented operation");
    }
    JsonObject responses = op.operation().getJsonObject("responses");
    JsonObject response = responses.getJsonObject(Integer.toString(status),
        responses.getJsonObject((status / 100) + "XX", responses.getJsonObject("default")));
    if (response == null) {
      return List.of(what + ": status not documented for " + op.operation().getString("operationId")
          + " (documented: " + responses.fieldNames() + ")");
    }
    response = resolve(response);
    JsonObject content = response.getJsonObject("content");
    if (content == null || content.isEmpty()) {
      return List.of();
    }
    String mediaType = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    JsonObject media = content.getJsonObject(mediaType);
    if (media == null) {
      return List.of(what + ": content type " + contentType + " not documented (documented: "
          + content.fieldNames() + ")");
    }
    JsonObject schema = media.getJsonObject("schema");
    if (schema == null || !mediaType.contains("json")) {
      return List.of();
    }
    String pointer = op.operation().getString("operationId") + " " + status + " " + mediaType;
    Schema compiledSchema = compiled.computeIfAbsent(pointer,
        key -> schemas.getSchema(inline(schema).encode(), InputFormat.JSON));
    List<String> problems = new ArrayList<>();
    for (Error error : compiledSchema.validate(body, InputFormat.JSON)) {
      problems.add(what + " (" + op.operation().getString("operationId") + "): " + error);
    }
    return problems;
  }

  /** Why a WebSocket message from {@code path} does not match the frame schema its 101 answer names. */
  public List<String> checkFrame(String uri, String frame) {
    String path = URI.create(uri).getRawPath();
    Operation op = find("GET", path);
    JsonObject upgrade = op == null ? null
        : op.operation().getJsonObject("responses").getJsonObject("101");
    if (upgrade == null || !upgrade.containsKey("x-websocket-frame")) {
      return List.of("GET " + path + ": no documented WebSocket frame");
    }
    Schema schema = compiled.computeIfAbsent(op.operation().getString("operationId") + " frame",
        key -> schemas.getSchema(inline(upgrade.getJsonObject("x-websocket-frame")).encode(), InputFormat.JSON));
    List<String> problems = new ArrayList<>();
    for (Error error : schema.validate(frame, InputFormat.JSON)) {
      problems.add("frame of GET " + path + ": " + error);
    }
    return problems;
  }

  private static int literalLength(Operation op) {
    return TEMPLATE_PARAM.matcher(op.servedPath()).replaceAll("").length();
  }

  private static List<String> prefixes(JsonArray servers) {
    List<String> prefixes = new ArrayList<>();
    if (servers == null || servers.isEmpty()) {
      return List.of("");
    }
    for (Object server : servers) {
      String path = URI.create(((JsonObject) server).getString("url")).getPath();
      prefixes.add(path == null || path.equals("/") ? "" : path.replaceAll("/$", ""));
    }
    return prefixes;
  }

  private JsonObject resolve(JsonObject maybeRef) {
    String ref = maybeRef.getString("$ref");
    if (ref == null) {
      return maybeRef;
    }
    Object target = document;
    for (String part : ref.substring(2).split("/")) {
      target = ((JsonObject) target).getValue(part);
    }
    if (target == null) {
      throw new AssertionError("unresolvable $ref " + ref);
    }
    return resolve((JsonObject) target);
  }

  // The schema with every $ref replaced by its target, so that it can be compiled on its own.
  private Object inline(Object node) {
    if (node instanceof JsonObject object) {
      if (object.containsKey("$ref")) {
        return inline(resolve(object));
      }
      JsonObject copy = new JsonObject();
      object.forEach(entry -> copy.put(entry.getKey(),
          entry.getKey().equals("example") ? entry.getValue() : inline(entry.getValue())));
      return copy;
    }
    if (node instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(item -> copy.add(inline(item)));
      return copy;
    }
    return node;
  }

  private JsonObject inline(JsonObject schema) {
    return (JsonObject) inline((Object) schema);
  }
}
