package io.parley.bench;

import io.parley.client.ConnectionClosedException;
import io.parley.client.Messages;
import io.parley.client.ParleyStatusException;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.protocol.Limits;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code direct --fault ...}: the direct scenario's users post at one fixed aggregate rate for
 * {@code runS} seconds while one {@link Fault} hits a server process, and the run reports what the
 * users saw. Every send's answer is kept (acknowledged, or the failure's code); every live push is
 * counted; at the end each room's whole log is read back with SYNC_ROOM_REQ (the rooms are made for
 * the run), so that an acknowledged message is either found (pushed, or at least in the log) or
 * counted lost. Sends are not retried: a failure is what the user saw first.
 */
final class FaultRun {
  record Settings(int users, double rate, double runS, double drainS, int messageBytes, int setupConcurrency, long slowMs, Fault fault) {}

  /** Send-tick period, as in {@link ChatLoad}. */
  private static final long TICK_MS = 5;
  /** A room's read-back is retried this often, a second apart, while the server still refuses. */
  private static final int SYNC_ATTEMPTS = 60;
  /** The SDK's request timeout plus margin: by then every send has its answer or its TIMEOUT. */
  private static final long ANSWER_WAIT_MS = 20_000;

  private final Env env;
  private final Settings settings;
  private final int runId = new SecureRandom().nextInt() & Integer.MAX_VALUE;

  FaultRun(Env env, Settings settings) {
    this.env = env;
    this.settings = settings;
  }

  /** The per-second rows, then the verdict row. */
  List<JsonObject> run() throws Exception {
    List<Population.Account> accounts = env.population().ensure(settings.users(), settings.setupConcurrency());
    List<Client> clients = Client.resumeAll(env.vertx(), env.loops(), env.target(), accounts, settings.setupConcurrency());
    try {
      List<ChatLoad.Sender> senders = ChatScenario.directRooms(clients, settings.setupConcurrency());
      List<ChatLoad.Sender> readers = new ArrayList<>();
      for (int i = 0; i < senders.size(); i += 2) {
        readers.add(senders.get(i));
      }
      FaultLedger ledger = new FaultLedger((int) Math.ceil(settings.rate() * settings.runS() * 1.05) + 64);
      for (Client client : clients) {
        client.connection.onPush(packet -> MessageStamp.ofPush(packet)
            .filter(stamp -> stamp.run() == runId)
            .ifPresent(stamp -> ledger.pushed(stamp.index(), System.nanoTime() - stamp.sentAtNanos())));
      }
      long faultAt = load(senders, ledger);
      settle(ledger);
      int unreadRooms = readBack(readers, ledger);
      long slowNanos = settings.slowMs() * 1_000_000L;
      List<JsonObject> rows = new ArrayList<>(ledger.perSecond(faultAt, slowNanos));
      rows.add(ledger.summary(faultAt, slowNanos)
          .mergeIn(settings.fault().toJson())
          .put("users", settings.users())
          .put("rate", settings.rate())
          .put("run_s", settings.runS())
          .put("slow_ms", settings.slowMs())
          .put("rooms_not_read_back", unreadRooms));
      return rows;
    } finally {
      Client.closeAll(clients);
    }
  }

  /** Sends at the fixed rate for runS seconds with the fault in the middle; returns when it began (ns into the run). */
  private long load(List<ChatLoad.Sender> senders, FaultLedger ledger) throws Exception {
    Loops loops = env.loops();
    List<List<ChatLoad.Sender>> byLoop = new ArrayList<>();
    for (int i = 0; i < loops.size(); i++) {
      byLoop.add(new ArrayList<>());
    }
    for (ChatLoad.Sender sender : senders) {
      byLoop.get(Math.floorMod(sender.client().loop, loops.size())).add(sender);
    }
    long begin = System.nanoTime();
    AtomicBoolean stopped = new AtomicBoolean();
    List<Long> timers = new ArrayList<>();
    for (int loop = 0; loop < loops.size(); loop++) {
      List<ChatLoad.Sender> mine = byLoop.get(loop);
      if (mine.isEmpty()) {
        continue;
      }
      Pacer pacer = new Pacer(settings.rate() * mine.size() / senders.size(), begin);
      timers.add(Loops.await(loops.on(loop, () -> Future.succeededFuture(env.vertx().setPeriodic(TICK_MS, id -> {
        if (stopped.get()) {
          return;
        }
        for (long n = pacer.due(); n > 0; n--) {
          send(pacer.next(mine), ledger, begin);
        }
      }))), 10));
    }
    Fault fault = settings.fault();
    long faultAt;
    try {
      ChatLoad.sleepUntil(begin, fault.atS());
      env.report().note("injecting " + fault.describe());
      faultAt = System.nanoTime() - begin;
      fault.inject();
      if (fault.forS() > 0) {
        ChatLoad.sleepUntil(begin, fault.atS() + fault.forS());
        env.report().note("SIGCONT to " + fault.command() + ":" + fault.pid());
      }
    } finally {
      fault.heal();
    }
    ChatLoad.sleepUntil(begin, settings.runS());
    stopped.set(true);
    for (long timer : timers) {
      env.vertx().cancelTimer(timer);
    }
    return faultAt;
  }

  private void send(ChatLoad.Sender sender, FaultLedger ledger, long begin) {
    int index = ledger.sent(System.nanoTime() - begin);
    if (index < 0) {
      return;
    }
    String content = new MessageStamp(runId, index, System.nanoTime()).content(settings.messageBytes());
    sender.client().messages.send(sender.room(), content).onComplete(outcome -> {
      long at = System.nanoTime() - begin;
      if (outcome.succeeded()) {
        ledger.acked(index, at);
      } else {
        ledger.failed(index, at, failureCode(outcome.cause()));
      }
    });
  }

  /** What a user was told: the STATUS code, or TIMEOUT (no answer within the SDK's 15 s), or CLOSED. */
  static String failureCode(Throwable failure) {
    if (failure instanceof ParleyStatusException status) {
      return status.sig();
    }
    if (failure instanceof TimeoutException) {
      return "TIMEOUT";
    }
    if (failure instanceof ConnectionClosedException) {
      return "CLOSED";
    }
    return failure.getClass().getSimpleName();
  }

  /** Waits, bounded, for every send's answer, then for the pushes of the acknowledged ones. */
  private void settle(FaultLedger ledger) throws InterruptedException {
    long answersBy = System.nanoTime() + ANSWER_WAIT_MS * 1_000_000L;
    while (!ledger.allAnswered() && System.nanoTime() < answersBy) {
      Thread.sleep(50);
    }
    long pushesBy = System.nanoTime() + (long) (settings.drainS() * 1e9);
    while (!ledger.allAcknowledgedPushed() && System.nanoTime() < pushesBy) {
      Thread.sleep(50);
    }
  }

  /** Reads every room's log after its cursor into the ledger; returns how many rooms could not be read. */
  private int readBack(List<ChatLoad.Sender> readers, FaultLedger ledger) throws Exception {
    int unread = 0;
    for (int i = 0; i < readers.size(); i++) {
      List<Integer> found = null;
      for (int attempt = 1; attempt <= SYNC_ATTEMPTS && found == null; attempt++) {
        try {
          found = wholeLog(readers.get(i));
        } catch (Exception refused) {
          if (attempt == 1) {
            env.report().note("read-back of room " + readers.get(i).room() + " refused (" + refused.getMessage() + "); retrying");
          }
          Thread.sleep(1000);
        }
      }
      if (found == null) {
        unread++;
        continue;
      }
      found.forEach(ledger::foundInLog);
    }
    return unread;
  }

  /**
   * The indexes of this run's messages in the room's whole log (the room was made for this run),
   * newest page first and then scrolling back, so no cursor taken before the run is needed.
   */
  private List<Integer> wholeLog(ChatLoad.Sender reader) throws Exception {
    List<Integer> found = new ArrayList<>();
    Messages.Page page = Loops.await(reader.client().messages.syncAfter(reader.room(), null, Limits.SYNC_MAX_COUNT), 60);
    while (true) {
      for (RoomEvent event : page.events()) {
        MessageStamp.ofEvent(event).filter(stamp -> stamp.run() == runId).ifPresent(stamp -> found.add(stamp.index()));
      }
      if (!page.more() || page.events().isEmpty()) {
        return found;
      }
      page = Loops.await(reader.client().messages.syncBefore(reader.room(), page.events().get(0).id(), Limits.SYNC_MAX_COUNT), 60);
    }
  }

  /** One loop's share of the open-loop rate: how many sends are due now, and whose turn it is. */
  private static final class Pacer {
    private final double perSecond;
    private final long begin;
    private long sent;
    private int turn;

    Pacer(double perSecond, long begin) {
      this.perSecond = perSecond;
      this.begin = begin;
    }

    /** Sends due since the start, less those made; a stalled loop catches up by at most a second's worth. */
    long due() {
      long due = (long) (perSecond * (System.nanoTime() - begin) / 1e9) - sent;
      return Math.min(due, (long) Math.max(1, perSecond));
    }

    ChatLoad.Sender next(List<ChatLoad.Sender> senders) {
      sent++;
      return senders.get(turn++ % senders.size());
    }
  }
}
