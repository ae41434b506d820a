package io.ferry.contracts.net;

/**
 * Makes URLs safe to log or publish: webhook and liveness URLs may carry credentials in their user-info
 * ({@code https://user:password@host/}) and query ({@code ?token=...}), which must not end up in logs, events or
 * log collectors. Works on any text, parseable or not, since invalid URLs are logged too.
 */
public final class UrlRedaction {

  /** What stands in for a removed part. */
  public static final String MASK = "***";

  private UrlRedaction() {
  }

  /**
   * {@code url} with its user-info, query and fragment replaced by {@link #MASK}
   * ({@code https://***@host/path?***}) and control characters replaced by {@code ?}; {@code null} stays null.
   */
  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    Parts parts = Parts.of(url);
    StringBuilder safe = new StringBuilder(url.length());
    safe.append(url, 0, parts.authorityStart());
    if (parts.userInfoEnd() >= 0) {
      safe.append(MASK).append('@');
    }
    safe.append(url, parts.hostStart(), parts.pathEnd());
    if (parts.pathEnd() < url.length()) {
      safe.append(url.charAt(parts.pathEnd())).append(MASK);
    }
    return printable(safe);
  }

  /**
   * {@code text} (e.g. an exception message) with every occurrence of the user-info ({@code user:pw@}), query
   * ({@code ?token=...}) and fragment of {@code url} masked, for messages that may quote the URL or its request
   * line.
   */
  public static String scrub(String text, String url) {
    if (text == null || url == null) {
      return text;
    }
    Parts parts = Parts.of(url);
    String scrubbed = text;
    if (parts.userInfoEnd() > parts.authorityStart()) {
      scrubbed = scrubbed.replace(url.substring(parts.authorityStart(), parts.userInfoEnd() + 1), MASK + "@");
    }
    int fragment = url.indexOf('#', parts.pathEnd());
    int queryEnd = fragment < 0 ? url.length() : fragment;
    if (url.startsWith("?", parts.pathEnd()) && queryEnd > parts.pathEnd() + 1) {
      scrubbed = scrubbed.replace(url.substring(parts.pathEnd(), queryEnd), "?" + MASK);
    }
    if (fragment >= 0 && fragment + 1 < url.length()) {
      scrubbed = scrubbed.replace(url.substring(fragment), "#" + MASK);
    }
    return printable(new StringBuilder(scrubbed));
  }

  // Offsets into a URL: where the authority starts, where its user-info ends (at '@', -1 if none), where the
  // host starts and where the path ends (at '?' or '#', or the end).
  private record Parts(int authorityStart, int userInfoEnd, int hostStart, int pathEnd) {

    static Parts of(String url) {
      int schemeEnd = url.indexOf("://");
      int authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
      int pathEnd = firstOf(url, authorityStart, "?#");
      int authorityEnd = Math.min(pathEnd, firstOf(url, authorityStart, "/\\"));
      int at = url.lastIndexOf('@', authorityEnd - 1);
      int userInfoEnd = at >= authorityStart ? at : -1;
      return new Parts(authorityStart, userInfoEnd, userInfoEnd >= 0 ? at + 1 : authorityStart, pathEnd);
    }

    private static int firstOf(String text, int from, String chars) {
      for (int i = from; i < text.length(); i++) {
        if (chars.indexOf(text.charAt(i)) >= 0) {
          return i;
        }
      }
      return text.length();
    }
  }

  // A URL is user input: a line break in it must not forge a log line.
  private static String printable(StringBuilder text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        text.setCharAt(i, '?');
      }
    }
    return text.toString();
  }
}
