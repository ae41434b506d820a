package io.ferry.contracts.testkit;

import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ferry.contracts.error.Dialect;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DialectAssertionsTest {

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void acceptsWhatTheDialectRendersAndNothingElse(Dialect dialect) {
    FerryException error = new FerryException(ErrorCode.NAME_TAKEN, "a queue named orders already exists");
    String body = dialect.errorBody(error).encode();
    String type = DialectAssertions.contentType(dialect);
    int status = dialect.status(error.code());

    assertError(status, type, body, dialect, ErrorCode.NAME_TAKEN, "named orders");

    assertThrows(AssertionError.class,
        () -> assertError(status, type, body, dialect, ErrorCode.NAME_TAKEN, "named invoices"));
    assertThrows(AssertionError.class,
        () -> assertError(status, type, body, dialect, ErrorCode.CONSUMER_CONFLICT, ""));
    assertThrows(AssertionError.class, () -> assertError(status, type,
        dialect.errorBody(error).put("extra", 1).encode(), dialect, ErrorCode.NAME_TAKEN, ""));
    assertThrows(AssertionError.class,
        () -> assertError(status, "text/plain", body, dialect, ErrorCode.NAME_TAKEN, ""));
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void readsARawHttpAnswer(Dialect dialect) {
    FerryException error = new FerryException(ErrorCode.REQUEST_TOO_LARGE, "the body is over 128 KB");
    String body = dialect.errorBody(error).encode();
    String reply = "HTTP/1.1 " + dialect.status(error.code()) + " Whatever\r\ncontent-type: "
        + DialectAssertions.contentType(dialect) + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;

    DialectAssertions.assertRawError(reply, dialect, ErrorCode.REQUEST_TOO_LARGE, "128 KB");
    assertThrows(AssertionError.class,
        () -> DialectAssertions.assertRawError(reply, dialect, ErrorCode.INTERNAL, ""));
  }
}
