package io.parley.bench;

import io.parley.client.Accounts;
import io.parley.client.Messages;
import io.parley.client.ParleyConnection;
import io.parley.client.Rooms;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/** One authenticated bench connection: its account, the loop it lives on, and the SDK facades. */
final class Client {
  final Population.Account account;
  final int loop;
  final ParleyConnection connection;
  final Rooms rooms;
  final Messages messages;

  private Client(Population.Account account, int loop, ParleyConnection connection) {
    this.account = account;
    this.loop = loop;
    this.connection = connection;
    this.rooms = new Rooms(connection);
    this.messages = new Messages(connection);
  }

  /** Fresh connection on loop {@code loop}, then AUTH_TOKEN → LOGIN_OK. */
  static Future<Client> resume(Vertx vertx, Loops loops, Target target, Population.Account account, int loop) {
    return loops.on(loop, () -> target.connect(vertx, account.device())
        .compose(connection -> new Accounts(connection).resume(account.user(), account.token())
            .map(ok -> new Client(account, loop, connection))
            .onFailure(failure -> connection.close())));
  }

  /**
   * Set-up resumes retry this often: the server answers INTERNAL_ERROR to an AUTH_TOKEN that meets
   * its periodic presence refresh of every session (Redis pool queue full, see docs/benchmarks.md).
   */
  private static final int SETUP_ATTEMPTS = 5;

  static Future<Client> resumeWithRetries(Vertx vertx, Loops loops, Target target, Population.Account account, int loop, int attempt) {
    return resume(vertx, loops, target, account, loop).recover(failure -> {
      if (attempt >= SETUP_ATTEMPTS) {
        return Future.failedFuture(failure);
      }
      io.vertx.core.Promise<Void> later = io.vertx.core.Promise.promise();
      vertx.setTimer(200L << attempt, t -> later.complete());
      return later.future().compose(v -> resumeWithRetries(vertx, loops, target, account, loop, attempt + 1));
    });
  }

  /** The accounts, resumed with at most {@code concurrency} in flight; client i lives on loop i. */
  static List<Client> resumeAll(Vertx vertx, Loops loops, Target target, List<Population.Account> accounts, int concurrency)
      throws Exception {
    Parallel.Outcome<Client> outcome =
        Loops.await(Parallel.run(accounts.size(), concurrency, i -> resumeWithRetries(vertx, loops, target, accounts.get(i), i, 1)), 600);
    if (outcome.failed() > 0) {
      closeAll(outcome.results());
      throw new IllegalStateException(outcome.failed() + " of " + accounts.size() + " resumes failed; first: " + outcome.firstFailure());
    }
    return outcome.results();
  }

  static void closeAll(List<Client> clients) throws Exception {
    List<Future<Void>> closing = new ArrayList<>();
    for (Client client : clients) {
      if (client != null) {
        closing.add(client.connection.close().recover(f -> Future.succeededFuture()));
      }
    }
    Loops.await(Future.join(closing), 120);
  }
}
