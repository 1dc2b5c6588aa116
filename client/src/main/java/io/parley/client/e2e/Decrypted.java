package io.parley.client.e2e;

import java.util.Optional;

/**
 * What the end-to-end layer made of one sealed content: the text, or why there is none. Only
 * {@link Status#OK} text is known to come from the device the server names as sender, under the key
 * this client pinned for it.
 *
 * @param text the plaintext; present for OK and UNVERIFIED_SENDER only
 * @param problem for people: why the content is flagged or unreadable
 * @param messageId the sender's random message id (replay detection), when the content opened
 */
public record Decrypted(Status status, String text, String problem, String messageId) {

  public enum Status {
    /** Opened, and authenticated by the sender device's pinned (or directory) key. */
    OK,
    /**
     * Opened under the key the content itself names, but that key is not the one this client knows
     * for the sender's device (key directory or pin): possibly an impostor. Shown only with a warning.
     */
    UNVERIFIED_SENDER,
    /** Altered, truncated, forged, or not a sealed message: no text is shown. */
    UNDECRYPTABLE,
    /** The sender did not wrap the key for this device (sent before it joined, or after it left). */
    NOT_FOR_THIS_DEVICE,
    /** The message was deleted; the server erased its ciphertext. */
    DELETED
  }

  public static Decrypted ok(String text, String messageId) {
    return new Decrypted(Status.OK, text, null, messageId);
  }

  public static Decrypted unverified(String text, String messageId, String problem) {
    return new Decrypted(Status.UNVERIFIED_SENDER, text, problem, messageId);
  }

  public static Decrypted undecryptable(String problem) {
    return new Decrypted(Status.UNDECRYPTABLE, null, problem, null);
  }

  public static Decrypted notForThisDevice() {
    return new Decrypted(Status.NOT_FOR_THIS_DEVICE, null, "this device was not a recipient of the message", null);
  }

  public static Decrypted deleted() {
    return new Decrypted(Status.DELETED, null, "deleted", null);
  }

  public Optional<String> textIfVerified() {
    return status == Status.OK ? Optional.of(text) : Optional.empty();
  }

  /** A one-line rendering for a terminal: the text, or the text with a warning, or a placeholder. */
  public String display() {
    return switch (status) {
      case OK -> text;
      case UNVERIFIED_SENDER -> "[UNVERIFIED SENDER: " + problem + "] " + text;
      case UNDECRYPTABLE -> "[undecryptable: " + problem + "]";
      case NOT_FOR_THIS_DEVICE -> "[encrypted for your other devices, not this one: sent before it was linked or joined — /link shows how to read it here]";
      case DELETED -> "[deleted]";
    };
  }
}
