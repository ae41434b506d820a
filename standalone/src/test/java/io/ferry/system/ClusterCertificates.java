package io.ferry.system;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away cluster CA and member certificates as PEM files, made with the JDK's keytool exactly as
 * docs/security.md tells an operator to, so that the test also checks those commands produce what Ferry
 * loads. Also makes self-signed certificates (not from the CA), for members that must be refused.
 */
final class ClusterCertificates {

  private static final String PASSWORD = "changeit";

  /** One member's files, and the CA file every member trusts. */
  record Member(Path certFile, Path keyFile, Path caFile) {

    /** The FERRY_* environment that gives a clustered process these files. */
    Map<String, String> env() {
      Map<String, String> env = new HashMap<>();
      env.put("FERRY_CLUSTER_TLS_CERT_FILE", certFile.toString());
      env.put("FERRY_CLUSTER_TLS_KEY_FILE", keyFile.toString());
      env.put("FERRY_CLUSTER_TLS_CA_FILE", caFile.toString());
      return env;
    }
  }

  private final Path dir;
  private final Path caStore;
  private final Path caFile;

  private ClusterCertificates(Path dir) {
    this.dir = dir;
    this.caStore = dir.resolve("ca.p12");
    this.caFile = dir.resolve("ca.pem");
  }

  /** A new CA in {@code dir}. */
  static ClusterCertificates create(Path dir) throws Exception {
    Files.createDirectories(dir);
    ClusterCertificates certs = new ClusterCertificates(dir);
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=ferry-test-ca",
        "-ext", "bc:c", "-validity", "2", "-keystore", certs.caStore.toString(), "-storetype", "PKCS12",
        "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", certs.caStore.toString(), "-storepass", PASSWORD,
        "-file", certs.caFile.toString());
    return certs;
  }

  /** A member key and a certificate for it signed by this CA. */
  Member issue(String name) throws Exception {
    Path store = keyPair(name);
    Path csr = dir.resolve(name + ".csr");
    Path signed = dir.resolve(name + "-signed.pem");
    keytool("-certreq", "-alias", name, "-keystore", store.toString(), "-storepass", PASSWORD, "-file", csr.toString());
    keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", PASSWORD,
        "-infile", csr.toString(), "-outfile", signed.toString(), "-validity", "2",
        "-ext", "eku=serverAuth,clientAuth");
    Path cert = dir.resolve(name + ".pem");
    Files.writeString(cert, Files.readString(signed) + Files.readString(caFile));
    return new Member(cert, privateKey(store, name), caFile);
  }

  /** A member key with a self-signed certificate: looks like a member, but no CA vouches for it. */
  Member selfSigned(String name) throws Exception {
    Path store = keyPair(name);
    Path cert = dir.resolve(name + ".pem");
    keytool("-exportcert", "-rfc", "-alias", name, "-keystore", store.toString(), "-storepass", PASSWORD,
        "-file", cert.toString());
    // It trusts itself only, as a rogue that made up its own CA would.
    return new Member(cert, privateKey(store, name), cert);
  }

  private Path keyPair(String name) throws Exception {
    Path store = dir.resolve(name + ".p12");
    keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + name,
        "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
        "-keypass", PASSWORD);
    return store;
  }

  // keytool has no PEM export of a private key; PKCS#8 from the keystore is what `openssl pkcs12 -nocerts
  // -nodes` would print.
  private Path privateKey(Path store, String alias) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    Key key = keys.getKey(alias, PASSWORD.toCharArray());
    Path file = dir.resolve(alias + "-key.pem");
    Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
    return file;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed:\n" + output);
    }
  }
}
