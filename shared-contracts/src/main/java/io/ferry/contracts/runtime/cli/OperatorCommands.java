package io.ferry.contracts.runtime.cli;

import java.io.InputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Adds the operator commands (HTTP clients of a running Ferry) to the process's command line. */
public final class OperatorCommands {

  private OperatorCommands() {
  }

  public static void addTo(CommandLine line, CliContext context, InputStream stdin) {
    line.addSubcommand("queues", new CommandLine(new Group("queues"))
        .addSubcommand("ls", new QueuesList(context))
        .addSubcommand("stats", new QueuesStats(context)));
    line.addSubcommand("messages", new CommandLine(new Group("messages"))
        .addSubcommand("peek", new MessagesPeek(context))
        .addSubcommand("push", new MessagesPush(context, stdin)));
    line.addSubcommand("tail", new Tail(context));
    line.addSubcommand("listeners", new CommandLine(new Group("listeners"))
        .addSubcommand("ls", new ListenersList(context)));
    line.addSubcommand("keys", new CommandLine(new Group("keys"))
        .addSubcommand("create", new KeysCreate(context)));
    line.addSubcommand("backup", new Backup(context));
    line.addSubcommand("restore", new Restore(context));
  }

  @Command(mixinStandardHelpOptions = true, description = "Operator commands; run with --help to list them.")
  static final class Group implements Runnable {
    private final String name;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Group(String name) {
      this.name = name;
    }

    @Override
    public void run() {
      throw new CommandLine.ParameterException(spec.commandLine(), "ferry " + name + " needs a command");
    }
  }
}
