package io.ferry.contracts.runtime.cli;

import java.io.PrintWriter;
import java.util.Map;

/** The environment and output streams operator commands run with. */
public record CliContext(Map<String, String> env, PrintWriter out, PrintWriter err) {
}
