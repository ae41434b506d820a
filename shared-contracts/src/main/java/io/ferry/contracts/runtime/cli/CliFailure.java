package io.ferry.contracts.runtime.cli;

/** An operator command's failure: one line for stderr and the exit code documented in --help. */
public final class CliFailure extends RuntimeException {

  public static final int FAILED = 1;
  public static final int INVALID = 2;
  public static final int NOT_FOUND = 3;
  public static final int UNAUTHORIZED = 4;

  private final int exitCode;

  public CliFailure(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
