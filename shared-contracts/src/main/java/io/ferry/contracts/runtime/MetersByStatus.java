package io.ferry.contracts.runtime;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Meters kept per status code, created on first use: a route or a client sees a handful of codes, scanned in
 * turn without a lock once known. Shared by {@link HttpRequestMeters} and {@link HttpClientRequestMeters}.
 */
final class MetersByStatus<T> {

  private record Entry<T>(int code, T meters) {
  }

  private final IntFunction<T> create;
  private volatile Entry<T>[] known;

  @SuppressWarnings("unchecked")
  MetersByStatus(IntFunction<T> create) {
    this.create = create;
    this.known = new Entry[0];
  }

  T of(int code) {
    for (Entry<T> entry : known) {
      if (entry.code() == code) {
        return entry.meters();
      }
    }
    return added(code);
  }

  private synchronized T added(int code) {
    Entry<T>[] current = known;
    for (Entry<T> entry : current) {
      if (entry.code() == code) {
        return entry.meters();
      }
    }
    T meters = create.apply(code);
    Entry<T>[] grown = Arrays.copyOf(current, current.length + 1);
    grown[current.length] = new Entry<>(code, meters);
    known = grown;
    return meters;
  }
}
