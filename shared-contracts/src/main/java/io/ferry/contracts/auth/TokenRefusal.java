package io.ferry.contracts.auth;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import java.util.Locale;

// Why a JWT library refused a token, in Ferry's own words: the reasons a client can act on are named, and
// nothing else of the library's message (parser internals, offsets, fragments of the token) reaches the
// answer.
public final class TokenRefusal {

  /** The whole refusal of a token that is malformed or whose signature does not verify. */
  public static final String INVALID_TOKEN = "invalid token";

  private TokenRefusal() {
  }

  public static FerryException of(Throwable libraryFailure) {
    String message = String.valueOf(libraryFailure.getMessage()).toLowerCase(Locale.ROOT);
    String why;
    if (message.contains("expired")) {
      why = "the token has expired";
    } else if (message.contains("audience")) {
      why = "the token is not valid: its aud claim does not name this server's audience";
    } else if (message.contains("issuer")) {
      why = "the token is not valid: its iss claim is not the configured issuer";
    } else if (message.contains("before")) {
      why = "the token is not valid yet (nbf)";
    } else {
      why = INVALID_TOKEN;
    }
    return new FerryException(ErrorCode.UNAUTHENTICATED, why);
  }
}
