package io.parley.message;

import io.parley.shared.service.ServiceLauncher;

/** Runs the message service alone: `java -jar parley-message.jar`. */
public final class MessageMain {
  private MessageMain() {}

  public static void main(String[] args) {
    ServiceLauncher.run("message", MessageVerticle::new);
  }
}
