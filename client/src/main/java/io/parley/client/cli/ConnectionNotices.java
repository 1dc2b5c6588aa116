package io.parley.client.cli;

import io.parley.client.e2e.ParleyChat.ConnectionState;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The connection's ups and downs as a person wants to hear them: one line when it is lost, one when
 * it is back, and one if reconnecting gave up — not a line per retry.
 */
final class ConnectionNotices {
  private final Consumer<String> say;
  private boolean lost;

  ConnectionNotices(Consumer<String> say) {
    this.say = say;
  }

  synchronized void changed(ConnectionState state, Optional<String> why) {
    switch (state) {
      case DISCONNECTED -> {
        if (!lost) {
          lost = true;
          say.accept("(connection lost; reconnecting in the background — what you type is kept and sent when it is back)");
        }
      }
      case RECONNECTING -> {
        // Every retry reports this; the person was told once already.
      }
      case CONNECTED -> {
        if (lost) {
          lost = false;
          say.accept("(connected again)");
        }
      }
      case FAILED -> {
        lost = true;
        say.accept("(cannot reconnect" + why.map(w -> ": " + w).orElse("") + ")");
      }
    }
  }
}
