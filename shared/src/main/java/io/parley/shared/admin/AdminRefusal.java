package io.parley.shared.admin;

/** An admin request answered with an HTTP error status and a reason the operator can act on. */
public final class AdminRefusal extends RuntimeException {
  private final int httpStatus;

  public AdminRefusal(int httpStatus, String reason) {
    super(reason, null, false, false);
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
