package io.parley.client.cli;

import picocli.CommandLine.TypeConversionException;

/** The server the CLI connects to: {@code --server HOST:PORT} or PARLEY_SERVER; the port defaults to 7400. */
record ServerAddress(String host, int port) {
  static final String DEFAULT = "127.0.0.1:7400";
  static final int DEFAULT_PORT = 7400;

  /** Reads HOST:PORT (or a bare HOST); a bad port is a usage error picocli reports with the option's name. */
  static ServerAddress parse(String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      return new ServerAddress(value, DEFAULT_PORT);
    }
    try {
      return new ServerAddress(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new TypeConversionException("must be HOST:PORT, got " + value);
    }
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
