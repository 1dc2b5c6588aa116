package io.parley.auth;

import io.parley.shared.service.ServiceLauncher;

/** Runs the auth service alone: `java -jar parley-auth.jar`. */
public final class AuthMain {
  private AuthMain() {}

  public static void main(String[] args) {
    ServiceLauncher.run("auth", AuthVerticle::new);
  }
}
