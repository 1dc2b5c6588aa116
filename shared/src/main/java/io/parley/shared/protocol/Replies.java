package io.parley.shared.protocol;

/** Success replies that carry more than their status, built in one place for every sender. */
public final class Replies {
  private Replies() {}

  /** LOGIN_OK names the account: a client that logged in with its email learns its username. */
  public static Envelope loginOk(String user) {
    Envelope ok = Envelope.status(StatusCode.LOGIN_OK);
    ok.data().put("user", user);
    return ok;
  }
}
