package io.parley.auth.captcha;

import io.parley.shared.captcha.ProofOfWork;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The captcha kinds a server can be configured to issue; {@link #wire()} is the {@code kind} field. */
public enum CaptchaKind {
  /** Distorted characters in a PNG: stops scripts that cannot read images, costs a human a few seconds. */
  IMAGE("image"),
  /** A hash puzzle ({@link ProofOfWork}): costs every signup CPU time, needs no human, no accessibility gap. */
  POW(ProofOfWork.KIND);

  private final String wire;

  CaptchaKind(String wire) {
    this.wire = wire;
  }

  /** "image" / "pow". */
  public String wire() {
    return wire;
  }

  /** The kind named {@code wire} (case-sensitive, as sent); IllegalArgumentException naming the allowed values. */
  public static CaptchaKind fromWire(String wire) {
    for (CaptchaKind kind : values()) {
      if (kind.wire.equals(wire)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("captcha kind must be one of "
        + Arrays.stream(values()).map(CaptchaKind::wire).collect(Collectors.joining(", "))
        + ", got '" + wire + "'");
  }
}
