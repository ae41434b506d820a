package io.ferry.contracts.runtime;

import io.ferry.contracts.config.ConfigException;
import io.ferry.contracts.config.ConfigReader;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
import io.ferry.contracts.runtime.cli.CliContext;
import io.ferry.contracts.runtime.cli.OperatorCommands;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The command line of every Ferry process: {@code serve} (the default), {@code check-config},
 * {@code print-config}, {@code --help}, {@code --version}, operator commands that are HTTP clients of a
 * running Ferry (queues, messages, listeners, keys, backup), and {@code restore}, which works on the data
 * directory of a stopped Ferry. Only {@code serve} and {@code restore} touch the data directory. {@link #run} returns the exit code: 0 done (or serving), 1 failed, 2 invalid input,
 * configuration or environment (one line on stderr saying what, where and what to do).
 */
public final class FerryCli<C> {

  /** Invalid command line, configuration or start-up environment. */
  public static final int INVALID = 2;

  private final Map<String, String> env;
  private final Function<ConfigReader, C> readConfig;
  private final Function<C, Future<FerryNode>> start;
  private PrintWriter out;
  private PrintWriter err;

  public FerryCli(Map<String, String> env, Function<ConfigReader, C> readConfig,
      Function<C, Future<FerryNode>> start) {
    this.env = env;
    this.readConfig = readConfig;
    this.start = start;
  }

  /** Parses {@code args} and runs the command; returns the exit code (0 also once a server is up). */
  public int run(String[] args, PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
    Root root = new Root();
    CommandLine line = new CommandLine(root)
        .addSubcommand("serve", new Serve(root))
        .addSubcommand("check-config", new CheckConfig(root))
        .addSubcommand("print-config", new PrintConfig(root))
        .setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF))
        .setOut(out)
        .setErr(err);
    OperatorCommands.addTo(line, new CliContext(env, out, err), System.in);
    int code = line.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** Reads the project version baked in at build time. */
  public static String version() {
    Properties properties = new Properties();
    try (InputStream in = FerryCli.class.getResourceAsStream("ferry-version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // the version line then says unknown
    }
    return properties.getProperty("version", "unknown");
  }

  /** {@code --config FILE}, taken on the root and on each command; a command's own wins over the root's. */
  static final class ConfigFileOption {
    @Option(names = "--config", paramLabel = "FILE", description = "JSON configuration file")
    Path file;

    Path or(ConfigFileOption root) {
      return file != null ? file : root.file;
    }
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"Ferry " + version() + " (Java " + Runtime.version() + ")"};
    }
  }

  @Command(name = "ferry", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = {"A self-hosted message queue speaking the Cloudflare Queues, discue and Sonya APIs.",
          "Without a command: serve."},
      footer = {"", "Configuration: defaults < the JSON file (--config or FERRY_CONFIG_FILE) < FERRY_* "
          + "environment variables.", "Operator commands (queues, messages, tail, listeners, keys, backup) are "
          + "HTTP clients of a running Ferry: --url (env FERRY_URL), --key (env FERRY_KEY), --json. restore "
          + "works offline, on a stopped Ferry's data directory.",
          "Exit codes: 0 ok, 1 failure (server or network), 2 invalid command line, configuration or "
          + "environment, 3 not found, 4 unauthorized."})
  final class Root implements Callable<Integer> {
    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Override
    public Integer call() {
      return serve(config.file);
    }
  }

  @Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Starts Ferry (the default command); runs until SIGTERM.")
  final class Serve implements Callable<Integer> {
    private final Root root;
    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    Serve(Root root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      return serve(config.or(root.config));
    }
  }

  @Command(name = "check-config", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = {"Validates the configuration (file and environment) and prints every effective value "
          + "with its source; secrets are masked. Starts nothing, creates nothing.",
          "Exit code 0 when valid, 2 when not."})
  final class CheckConfig implements Callable<Integer> {
    private final Root root;
    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    CheckConfig(Root root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      return show(config.or(root.config), false, true);
    }
  }

  @Command(name = "print-config", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Prints every effective configuration value with its source; secrets are masked.")
  final class PrintConfig implements Callable<Integer> {
    private final Root root;
    @Mixin
    ConfigFileOption config = new ConfigFileOption();
    @Option(names = "--json", description = "one JSON object: key -> {value, source}")
    boolean json;

    PrintConfig(Root root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      return show(config.or(root.config), json, false);
    }
  }

  private int show(Path file, boolean json, boolean verdict) {
    ConfigReader reader;
    try {
      reader = ConfigReader.load(file, env);
    } catch (ConfigException e) {
      return invalid(e.getMessage());
    }
    ConfigException problem = null;
    try {
      readConfig.apply(reader);
      reader.rejectUnknownFileKeys();
    } catch (ConfigException e) {
      problem = e;
    }
    out.print(json ? EffectiveConfig.json(reader.settings()) : EffectiveConfig.table(reader.settings(), file, env));
    if (problem != null) {
      return invalid(problem.getMessage());
    }
    if (verdict) {
      out.println("configuration is valid");
    }
    return 0;
  }

  private int serve(Path file) {
    C config;
    try {
      ConfigReader reader = ConfigReader.load(file, env);
      config = readConfig.apply(reader);
      reader.rejectUnknownFileKeys();
      start.apply(config).await().runAsProcess();
      return 0;
    } catch (ConfigException | StartupException e) {
      return invalid(e.getMessage());
    } catch (RuntimeException | Error e) {
      String known = StartupException.explain(e);
      if (known != null) {
        return invalid(known);
      }
      org.slf4j.LoggerFactory.getLogger(FerryCli.class).error("Ferry failed to start", e);
      return 1;
    }
  }

  private int invalid(String message) {
    err.println("ferry: " + message);
    return INVALID;
  }
}
