package io.ferry.contracts.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReaderTest {

  @TempDir
  Path dir;

  @Test
  void environmentBeatsFileBeatsDefaults() throws Exception {
    Path file = dir.resolve("ferry.json");
    Files.writeString(file, "{\"http\":{\"port\":9000,\"host\":\"127.0.0.1\"},\"cluster\":{\"members\":[\"a\",\"b:5702\"]}}");
    ConfigReader reader = ConfigReader.load(new String[] {"--config", file.toString()},
        Map.of("FERRY_HTTP_PORT", "9100"));
    NodeConfig node = NodeConfig.from(reader, 8080);
    AuthConfig auth = AuthConfig.from(reader);
    reader.rejectUnknownFileKeys();
    assertEquals(9100, node.http().port());
    assertEquals("127.0.0.1", node.http().host());
    assertEquals(List.of("a", "b:5702"), node.cluster().members());
    assertEquals(AuthConfig.Mode.SECURE, auth.mode());
    assertEquals(345_600, io.ferry.contracts.model.QueueSettings.DEFAULTS.retentionPeriodSeconds());
  }

  @Test
  void configEqualsFileIsReadNotIgnored() throws Exception {
    Path file = Files.writeString(dir.resolve("prod.json"), "{\"http\":{\"port\":9000}}");
    ConfigReader reader = ConfigReader.load(new String[] {"--config=" + file}, Map.of());
    assertEquals(9000, NodeConfig.from(reader, 8080).http().port());
    assertThrows(ConfigException.class, () -> ConfigReader.load(new String[] {"--config="}, Map.of()));
  }

  @Test
  void settingsSayWhereEachValueCameFrom() throws Exception {
    Path file = Files.writeString(dir.resolve("ferry.json"), "{\"http\":{\"port\":9000,\"host\":\"127.0.0.1\"}}");
    ConfigReader reader = ConfigReader.load(file, Map.of("FERRY_HTTP_PORT", "9100"));
    NodeConfig.from(reader, 8080);
    AuthConfig.from(reader);
    StorageConfig.from(reader);
    Map<String, ConfigReader.Setting> byKey = new java.util.HashMap<>();
    reader.settings().forEach(setting -> byKey.put(setting.key(), setting));
    assertEquals(new ConfigReader.Setting("http.port", "9100", ConfigReader.Source.ENV), byKey.get("http.port"));
    assertEquals(new ConfigReader.Setting("http.host", "127.0.0.1", ConfigReader.Source.FILE), byKey.get("http.host"));
    assertEquals(new ConfigReader.Setting("auth.mode", "secure", ConfigReader.Source.DEFAULT), byKey.get("auth.mode"));
    assertEquals(new ConfigReader.Setting("storage.data-dir", "./data", ConfigReader.Source.DEFAULT),
        byKey.get("storage.data-dir"));
  }

  @Test
  void aDocumentReadsAsAConfigFileDoes() {
    ConfigReader reader = ConfigReader.of(new JsonObject()
        .put("http", new JsonObject().put("port", 9000))
        .put("cluster.members", new JsonArray().add("a").add("b:5702")));
    NodeConfig node = NodeConfig.from(reader, 8080);
    assertEquals(9000, node.http().port());
    assertEquals(List.of("a", "b:5702"), node.cluster().members());
    assertEquals(new ConfigReader.Setting("http.port", "9000", ConfigReader.Source.FILE),
        reader.settings().stream().filter(setting -> setting.key().equals("http.port")).findFirst().orElseThrow());
  }

  @Test
  void invalidValuesNameTheKeyAndVariable() {
    ConfigException port = assertThrows(ConfigException.class,
        () -> NodeConfig.from(ConfigReader.of(Map.of("FERRY_HTTP_PORT", "eighty")), 8080));
    assertTrue(port.getMessage().contains("http.port (FERRY_HTTP_PORT)"), port.getMessage());
    assertTrue(port.getMessage().contains("'eighty'"), port.getMessage());

    ConfigException range = assertThrows(ConfigException.class,
        () -> NodeConfig.from(ConfigReader.of(Map.of("FERRY_HTTP_PORT", "70000")), 8080));
    assertTrue(range.getMessage().contains("between 0 and 65535"), range.getMessage());

    ConfigException mode = assertThrows(ConfigException.class,
        () -> AuthConfig.from(ConfigReader.of(Map.of("FERRY_AUTH_MODE", "lax"))));
    assertTrue(mode.getMessage().contains("auth.mode (FERRY_AUTH_MODE) must be one of [secure, open]"),
        mode.getMessage());

    ConfigException flag = assertThrows(ConfigException.class,
        () -> ConfigReader.of(Map.of("FERRY_X_Y", "maybe")).bool("x.y", false));
    assertTrue(flag.getMessage().contains("x.y (FERRY_X_Y) must be true or false"), flag.getMessage());

    ConfigException shortKey = assertThrows(ConfigException.class,
        () -> AuthConfig.from(ConfigReader.of(Map.of("FERRY_AUTH_BOOTSTRAP_KEY", "short"))));
    assertTrue(shortKey.getMessage().contains("auth.bootstrap-key"), shortKey.getMessage());

    ConfigException k8s = assertThrows(ConfigException.class,
        () -> ClusterConfig.from(ConfigReader.of(Map.of("FERRY_CLUSTER_JOIN", "kubernetes"))));
    assertTrue(k8s.getMessage().contains("cluster.kubernetes-service-dns"), k8s.getMessage());
  }

  @Test
  void theSecretsKeyMustBeLongAndIsNeverPrinted() {
    ConfigException shortKey = assertThrows(ConfigException.class,
        () -> StorageConfig.from(ConfigReader.of(Map.of("FERRY_STORAGE_SECRETS_KEY", "short"))));
    assertEquals("invalid configuration: storage.secrets-key (FERRY_STORAGE_SECRETS_KEY) must be at least 32 "
        + "characters", shortKey.getMessage());
    String key = "secrets-key-0123456789abcdef-0123456789";
    StorageConfig storage = StorageConfig.from(ConfigReader.of(Map.of("FERRY_STORAGE_SECRETS_KEY", key)));
    assertEquals(key, storage.secretsKey());
    assertTrue(!storage.toString().contains(key) && storage.toString().contains("secretsKey=***"),
        storage::toString);
  }

  @Test
  void aClusteredProcessNeedsBusCertificatesOrTheExplicitOptOut() throws Exception {
    ConfigException none = assertThrows(ConfigException.class,
        () -> ClusterConfig.from(ConfigReader.of(Map.of())).requireBusSecurity());
    assertTrue(none.getMessage().contains("cluster.tls.cert-file, cluster.tls.key-file and cluster.tls.ca-file")
        && none.getMessage().contains("FERRY_CLUSTER_TLS_CA_FILE") && none.getMessage().contains("cluster.insecure-bus"),
        none.getMessage());

    Path cert = Files.writeString(dir.resolve("member.pem"), "x");
    ConfigException partial = assertThrows(ConfigException.class, () -> ClusterConfig.from(ConfigReader.of(Map.of(
        "FERRY_CLUSTER_TLS_CERT_FILE", cert.toString(), "FERRY_CLUSTER_INSECURE_BUS", "true"))).requireBusSecurity());
    assertTrue(partial.getMessage().contains("cluster.tls.key-file"), partial.getMessage());

    ConfigException missing = assertThrows(ConfigException.class, () -> ClusterConfig.from(ConfigReader.of(Map.of(
        "FERRY_CLUSTER_TLS_CERT_FILE", cert.toString(), "FERRY_CLUSTER_TLS_KEY_FILE", dir.resolve("nope").toString(),
        "FERRY_CLUSTER_TLS_CA_FILE", cert.toString()))).requireBusSecurity());
    assertTrue(missing.getMessage().contains("cluster.tls.key-file (FERRY_CLUSTER_TLS_KEY_FILE) cannot be read"),
        missing.getMessage());

    ClusterConfig complete = ClusterConfig.from(ConfigReader.of(Map.of("FERRY_CLUSTER_TLS_CERT_FILE", cert.toString(),
        "FERRY_CLUSTER_TLS_KEY_FILE", cert.toString(), "FERRY_CLUSTER_TLS_CA_FILE", cert.toString())));
    complete.requireBusSecurity();
    assertTrue(complete.busTls());
    ClusterConfig.from(ConfigReader.of(Map.of("FERRY_CLUSTER_INSECURE_BUS", "true"))).requireBusSecurity();
  }

  @Test
  void unknownFileKeysAreRejected() throws Exception {
    Path file = dir.resolve("typo.json");
    Files.writeString(file, "{\"http\":{\"prot\":9000}}");
    ConfigReader reader = ConfigReader.load(new String[] {"--config", file.toString()}, Map.of());
    NodeConfig.from(reader, 8080);
    ConfigException typo = assertThrows(ConfigException.class, reader::rejectUnknownFileKeys);
    assertTrue(typo.getMessage().contains("[http.prot]"), typo.getMessage());
  }

  @Test
  void unreadableOrMalformedFilesFailClearly() throws Exception {
    ConfigException missing = assertThrows(ConfigException.class,
        () -> ConfigReader.load(new String[] {"--config", dir.resolve("nope.json").toString()}, Map.of()));
    assertTrue(missing.getMessage().contains("cannot read config file"), missing.getMessage());
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{http:");
    ConfigException malformed = assertThrows(ConfigException.class,
        () -> ConfigReader.load(new String[0], Map.of(ConfigReader.FILE_VARIABLE, bad.toString())));
    assertTrue(malformed.getMessage().contains("not valid JSON"), malformed.getMessage());
    assertThrows(ConfigException.class, () -> ConfigReader.load(new String[] {"--config"}, Map.of()));
  }
}
