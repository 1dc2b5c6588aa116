package io.parley.client.e2e;

import io.parley.client.Accounts;
import io.parley.client.ClientOptions;
import io.parley.client.ParleyClient;
import io.parley.client.ParleyConnection;
import io.parley.shared.protocol.Envelope;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The {@link ConnectionSupervisor}'s view of a {@link ParleyConnection}: dialled from the chat's
 * context (so its replies and pushes arrive there), resumed with the saved session's AUTH_TOKEN. A
 * session the server refuses is forgotten, on disk too: it can never work again.
 */
final class SessionLine implements ConnectionSupervisor.Line<ParleyConnection> {
  private final ChatContext context;
  private final ClientOptions clientOptions;
  private final boolean reconnect;
  private final StateStore store;
  private final BiConsumer<ParleyConnection, Envelope> pushes;
  private final Supplier<Future<Void>> catchUp;

  /**
   * @param pushes gets every push of every connection, on the chat's context
   * @param catchUp syncs every room after a resume
   */
  SessionLine(ChatContext context, ClientOptions clientOptions, boolean reconnect, StateStore store,
      BiConsumer<ParleyConnection, Envelope> pushes, Supplier<Future<Void>> catchUp) {
    this.context = context;
    this.clientOptions = clientOptions;
    this.reconnect = reconnect;
    this.store = store;
    this.pushes = pushes;
    this.catchUp = catchUp;
  }

  @Override
  public Future<ParleyConnection> dial() {
    return ParleyClient.connect(context.vertx(), clientOptions).map(conn -> {
      conn.onPush(packet -> context.run(() -> pushes.accept(conn, packet)));
      return conn;
    });
  }

  @Override
  public Future<Boolean> resume(ParleyConnection conn) {
    Optional<ChatHome.Session> saved = store.session();
    if (saved.isEmpty()) {
      return Future.succeededFuture(false);
    }
    return new Accounts(conn).resume(saved.get().user(), saved.get().token())
        .recover(failure -> ConnectionSupervisor.isTokenRefused(failure)
            ? store.saveSession(null).transform(forgotten -> Future.failedFuture(failure))
            : Future.failedFuture(failure))
        .map(true);
  }

  @Override
  public Future<Void> catchUp() {
    return catchUp.get();
  }

  @Override
  public Future<?> closed(ParleyConnection conn) {
    Promise<Void> ended = Promise.promise();
    conn.closed().onComplete(info -> context.run(ended::complete));
    return ended.future();
  }

  @Override
  public Future<Void> hangUp(ParleyConnection conn) {
    return conn.close();
  }

  @Override
  public boolean mayReconnect() {
    return reconnect && store.session().isPresent();
  }
}
