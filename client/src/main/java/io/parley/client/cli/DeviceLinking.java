package io.parley.client.cli;

import static io.parley.client.cli.ParleyCli.await;

import io.parley.client.e2e.LinkCode;
import io.parley.client.e2e.ParleyChat;
import io.parley.shared.protocol.Limits;

/**
 * {@code /link} and {@code parley link}, in the words a person reads: on a new device, show the code
 * and wait until another device of theirs has shared the keys of earlier messages; on that other
 * device, share them for the code typed (docs/e2e.md §10).
 */
final class DeviceLinking {
  private static final long POLL_MS = 1000;

  private DeviceLinking() {}

  /** Asks for a link; the sentence with the code to type on another device. */
  static String showCode(ParleyChat chat) throws Exception {
    LinkCode code = await(chat.requestLink());
    return "Earlier messages were encrypted for your other devices. To read them here, type this on one of them"
        + " (within " + Limits.LINK_REQUEST_TTL_SECONDS / 60 + " minutes):\n  /link " + code;
  }

  /**
   * Asks the server once a second, until the code expires, whether the keys are here; what to tell the
   * person. Blocking: call it off the console thread.
   */
  static String awaitLinked(ParleyChat chat) throws Exception {
    long polls = Limits.LINK_REQUEST_TTL_SECONDS * 1000L / POLL_MS;
    for (long poll = 0; poll < polls; poll++) {
      int received = await(chat.receiveLink());
      if (received > 0) {
        return "(linked: " + received + " earlier message" + (received == 1 ? " is" : "s are") + " readable here now)";
      }
      Thread.sleep(POLL_MS);
    }
    return "(the link code expired; ask for a new one)";
  }

  /** On an existing device: shares the keys with the device that shows {@code typed}. */
  static String approve(ParleyChat chat, String typed) throws Exception {
    LinkCode code = LinkCode.parse(typed).orElseThrow(() -> new IllegalArgumentException(
        "a link code has 16 letters and digits, like ABCD-EFGH-JKLM-NPQR: type the one your new device shows"));
    int shared = await(chat.approveLink(code));
    return "shared the keys of " + shared + " earlier message" + (shared == 1 ? "" : "s") + " with your new device";
  }
}
