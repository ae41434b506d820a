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
}
