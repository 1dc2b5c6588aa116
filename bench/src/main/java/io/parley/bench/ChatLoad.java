package io.parley.bench;

import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.packet.MessageFormat;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.ChatAction;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open-loop message load for the direct and group scenarios. Each sender posts into its room at its
 * share of a fixed aggregate rate, never waiting for its MSG_OK before the next send; every other
 * member's connection receives the ROOM_EVENT and measures the latency from the send timestamp inside
 * the message content. One step = warm-up, then a measured window, then a drain.
 */
final class ChatLoad {
  /** A sender and the room it posts to; {@code fanout} is the number of other connections in the room. */
  record Sender(Client client, UUID room, int fanout) {}

  /** {@code profile}: when not null, a JFR recording of the server covers each measured window, written to {@code <profile>-<rate>.jfr}. */
  record Settings(double warmupS, double measureS, double drainS, int messageBytes, double passP99Ms, double passDeliveredShare, String profile) {}

  /** Send-tick period: short enough that 1-in-a-tick bursts stay far below the latency target. */
  private static final long TICK_MS = 5;

  private final Vertx vertx;
  private final Loops loops;
  private final List<Sender> senders;
  private final Settings settings;
  private final List<List<Sender>> sendersByLoop = new ArrayList<>();
  private final int fanout;
  /** One content template per loop: a template is not thread-safe, a loop's ticks run one at a time. */
  private final MessageStamp.Template[] templates;
  private volatile StepState current;
  private int nextStepId = 1;

  ChatLoad(Vertx vertx, Loops loops, List<Sender> senders, List<Client> receivers, Settings settings) {
    this.vertx = vertx;
    this.loops = loops;
    this.senders = List.copyOf(senders);
    this.settings = settings;
    this.fanout = senders.get(0).fanout();
    this.templates = new MessageStamp.Template[loops.size()];
    for (int i = 0; i < loops.size(); i++) {
      sendersByLoop.add(new ArrayList<>());
      templates[i] = new MessageStamp.Template(settings.messageBytes());
    }
    for (Sender sender : senders) {
      sendersByLoop.get(Math.floorMod(sender.client().loop, loops.size())).add(sender);
    }
    for (Client receiver : receivers) {
      int loop = Math.floorMod(receiver.loop, loops.size());
      receiver.connection.onPush(packet -> onPush(packet, loop));
    }
  }

  /** What one step measured. */
  record StepResult(
      double rate, double offeredDeliveries, long sent, long acked, long errors, long unacked, long delivered, long lost,
      double measuredS, double p50Ms, double p90Ms, double p99Ms, double maxMs, boolean passed, long[] cpuBefore, long[] cpuAfter,
      long stepSentTotal, long stepAckedTotal) {

    double deliveriesPerSecond() {
      return delivered / measuredS;
    }
  }

  /** Runs one step at {@code rate} messages per second in aggregate (blocking). */
  StepResult step(double rate, ServerProbe probe) throws Exception {
    double totalS = settings.warmupS() + settings.measureS();
    int capacity = (int) Math.ceil(rate * totalS * 1.05) + 64;
    StepState state = new StepState(nextStepId++, capacity, loops.size());
    current = state;
    long begin = System.nanoTime();
    List<Long> timers = new ArrayList<>();
    for (int loop = 0; loop < loops.size(); loop++) {
      List<Sender> mine = sendersByLoop.get(loop);
      if (mine.isEmpty()) {
        continue;
      }
      double share = rate * mine.size() / senders.size();
      int l = loop;
      timers.add(Loops.await(loops.on(loop, () -> io.vertx.core.Future.succeededFuture(
          vertx.setPeriodic(TICK_MS, id -> tick(state, mine, share, begin, l)))), 10));
    }
    sleepUntil(begin, settings.warmupS());
    String recording = "parley-bench-" + state.id;
    boolean profiling = settings.profile() != null && probe.jvm().isPresent() && ServerProbe.jfrStart(probe.jvm().get(), recording);
    long[] cpuBefore = probe.cpuSnapshot();
    long measureBegin = System.nanoTime();
    state.measureFrom = state.nextIndex.get();
    sleepUntil(begin, totalS);
    state.stopped = true;
    state.measureTo = Math.min(state.nextIndex.get(), capacity);
    long measureEnd = System.nanoTime();
    long[] cpuAfter = probe.cpuSnapshot();
    if (profiling) {
      ServerProbe.jfrStop(probe.jvm().get(), recording, java.nio.file.Path.of(settings.profile() + "-" + Math.round(rate) + ".jfr"));
    }
    for (long timer : timers) {
      vertx.cancelTimer(timer);
    }
    double measuredS = (measureEnd - measureBegin) / 1e9;
    // Drain: what is still in flight gets a bounded time to arrive; later arrivals count as lost.
    long drainEnd = System.nanoTime() + (long) (settings.drainS() * 1e9);
    while (System.nanoTime() < drainEnd && !state.settled(fanout)) {
      Thread.sleep(20);
    }
    long sent = state.measureTo - state.measureFrom;
    long acked = 0;
    long errors = 0;
    long unacked = 0;
    long delivered = 0;
    long lost = 0;
    for (int i = state.measureFrom; i < state.measureTo; i++) {
      int ack = state.acks.get(i);
      int got = state.delivered.get(i);
      delivered += got;
      if (ack == ACKED) {
        acked++;
        lost += Math.max(0, fanout - got);
      } else if (ack == FAILED) {
        errors++;
      } else {
        unacked++;
      }
    }
    // Acks still outstanding (a saturated step) must not leak into the next one: wait for them, bounded.
    long ackWaitEnd = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < ackWaitEnd && !state.allAnswered()) {
      Thread.sleep(50);
    }
    long stepSent = Math.min(state.nextIndex.get(), capacity);
    long stepAcked = 0;
    for (int i = 0; i < stepSent; i++) {
      if (state.acks.get(i) == ACKED) {
        stepAcked++;
      }
    }
    Latencies all = new Latencies();
    for (Latencies perLoop : state.latencies) {
      synchronized (perLoop) {
        all.addAll(perLoop);
      }
    }
    double offered = rate * measuredS * fanout;
    double p99 = all.percentileMs(99);
    boolean passed =
        all.count() > 0 && p99 <= settings.passP99Ms() && lost == 0 && errors == 0 && unacked == 0
            && delivered >= settings.passDeliveredShare() * offered;
    current = null;
    return new StepResult(
        rate, offered, sent, acked, errors, unacked, delivered, lost, measuredS, all.percentileMs(50), all.percentileMs(90), p99,
        all.percentileMs(100), passed, cpuBefore, cpuAfter, stepSent, stepAcked);
  }

  /** Sleeps until {@code seconds} after {@code begin} (System.nanoTime). */
  static void sleepUntil(long begin, double seconds) throws InterruptedException {
    long until = begin + (long) (seconds * 1e9);
    long left;
    while ((left = until - System.nanoTime()) > 0) {
      Thread.sleep(Math.max(1, Math.min(100, left / 1_000_000)));
    }
  }

  private static final int ACKED = 1;
  private static final int FAILED = 2;

  private void tick(StepState state, List<Sender> mine, double share, long begin, int loop) {
    if (state.stopped) {
      return;
    }
    long due = (long) (share * (System.nanoTime() - begin) / 1e9) - state.sentByLoop[loop];
    // A stalled loop catches up (open loop), but never more than a second's worth at once.
    due = Math.min(due, (long) Math.max(1, share));
    for (long n = 0; n < due; n++) {
      int index = state.nextIndex.getAndIncrement();
      if (index >= state.capacity) {
        return;
      }
      state.sentByLoop[loop]++;
      Sender sender = mine.get(state.roundRobin[loop]++ % mine.size());
      String content = templates[loop].content(new MessageStamp(state.id, index, System.nanoTime()));
      // The request itself, not Messages.send: the bench needs MSG_OK or not, not the parsed Ack.
      sender.client().connection.request(new ChatAction(sender.room(), new ChatAction.Send(MessageFormat.TEXT, content)).toEnvelope())
          .onComplete(outcome -> state.acks.set(index, acknowledged(outcome) ? ACKED : FAILED));
    }
  }

  private static boolean acknowledged(io.vertx.core.AsyncResult<Envelope> outcome) {
    return outcome.succeeded() && outcome.result().statusCode().filter(StatusCode.MSG_OK::equals).isPresent();
  }

  private void onPush(Envelope packet, int loop) {
    StepState state = current;
    if (state == null) {
      return;
    }
    MessageStamp stamp = MessageStamp.pushed(packet);
    if (stamp == null) {
      return;
    }
    long now = System.nanoTime();
    int index = stamp.index();
    if (stamp.run() != state.id || index < 0 || index >= state.capacity) {
      state.stale.incrementAndGet();
      return;
    }
    state.delivered.incrementAndGet(index);
    if (index >= state.measureFrom && index < state.measureTo) {
      Latencies latencies = state.latencies[loop];
      synchronized (latencies) {
        latencies.record(now - stamp.sentAtNanos());
      }
    }
  }

  /** One step's bookkeeping, shared by the sending ticks and the receiving handlers. */
  private static final class StepState {
    final int id;
    final int capacity;
    final AtomicInteger nextIndex = new AtomicInteger();
    final AtomicIntegerArray acks;
    final AtomicIntegerArray delivered;
    final AtomicLong stale = new AtomicLong();
    final long[] sentByLoop;
    final int[] roundRobin;
    final Latencies[] latencies;
    volatile int measureFrom = Integer.MAX_VALUE;
    volatile int measureTo = Integer.MAX_VALUE;
    volatile boolean stopped;

    StepState(int id, int capacity, int loops) {
      this.id = id;
      this.capacity = capacity;
      this.acks = new AtomicIntegerArray(capacity);
      this.delivered = new AtomicIntegerArray(capacity);
      this.sentByLoop = new long[loops];
      this.roundRobin = new int[loops];
      this.latencies = new Latencies[loops];
      for (int i = 0; i < loops; i++) {
        latencies[i] = new Latencies();
      }
    }

    boolean settled(int fanout) {
      for (int i = measureFrom; i < measureTo; i++) {
        if (acks.get(i) == 0 || (acks.get(i) == ACKED && delivered.get(i) < fanout)) {
          return false;
        }
      }
      return true;
    }

    boolean allAnswered() {
      int end = Math.min(nextIndex.get(), capacity);
      for (int i = 0; i < end; i++) {
        if (acks.get(i) == 0) {
          return false;
        }
      }
      return true;
    }
  }
}
