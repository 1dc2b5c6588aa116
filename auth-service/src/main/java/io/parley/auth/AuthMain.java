package io.parley.auth;

import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.service.ServiceLauncher;
import io.parley.shared.token.TokenKeys;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Runs the auth service alone: {@code java -jar parley-auth.jar}. */
public final class AuthMain {
  private AuthMain() {}

  public static void main(String[] args) {
    ServiceLauncher.run("auth", config -> new AuthVerticle(config, signingKeys(config)));
  }

  /**
   * A service running on its own never invents a signing key: every replica must sign with the one
   * the gateways trust, so the key file must be provided (a Kubernetes Secret).
   */
  private static TokenKeys signingKeys(ParleyConfig config) {
    try {
      return TokenKeys.load(config.getPath(ConfigKey.TOKEN_KEY_FILE), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
