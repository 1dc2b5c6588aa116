package io.parley.bench;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Every message of a fault run, by index: when it was sent and answered (nanoseconds since the run
 * began), how (acknowledged, or failed with which code), how often it was pushed live to the other
 * member, and how often the room's log holds it (from the sync at the end). Written from every event
 * loop while the load runs, read once it is over.
 *
 * <p>The verdicts, all from what a user could observe: an acknowledged message is <em>lost</em> when
 * neither a push nor the log ever shows it; a <em>duplicate</em> is a message the log holds twice (or
 * a receiver was pushed twice). Sends answered after the fault began (or never) are the fault's to
 * answer for: the error window spans those that failed or got no answer, the slow window those
 * acknowledged later than the slow threshold, both by send time; recovery is the first send after
 * both windows that was acknowledged in time. Sends that failed or were slow and answered before the
 * fault are counted apart: on a busy machine they are the noise floor.
 */
final class FaultLedger {
  private static final int ACKED = 1;
  private static final int FAILED = 2;
  private static final long NOT_YET = -1;

  private final int capacity;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicLongArray sentAt;
  private final AtomicLongArray answeredAt;
  private final AtomicIntegerArray outcome;
  private final AtomicReferenceArray<String> failure;
  private final AtomicIntegerArray pushes;
  /** Send to first push, per message. */
  private final AtomicLongArray pushLatency;
  private final AtomicIntegerArray inLog;

  FaultLedger(int capacity) {
    this.capacity = capacity;
    this.sentAt = new AtomicLongArray(capacity);
    this.answeredAt = new AtomicLongArray(capacity);
    this.outcome = new AtomicIntegerArray(capacity);
    this.failure = new AtomicReferenceArray<>(capacity);
    this.pushes = new AtomicIntegerArray(capacity);
    this.pushLatency = new AtomicLongArray(capacity);
    this.inLog = new AtomicIntegerArray(capacity);
  }

  /** The index of a new message sent at {@code atNanos}, or -1 when the ledger is full. */
  int sent(long atNanos) {
    int index = next.getAndIncrement();
    if (index >= capacity) {
      return -1;
    }
    answeredAt.set(index, NOT_YET);
    sentAt.set(index, atNanos);
    return index;
  }

  void acked(int index, long atNanos) {
    answeredAt.set(index, atNanos);
    outcome.set(index, ACKED);
  }

  /** {@code code}: the STATUS code, or what ended the wait (TIMEOUT, CLOSED). */
  void failed(int index, long atNanos, String code) {
    failure.set(index, code);
    answeredAt.set(index, atNanos);
    outcome.set(index, FAILED);
  }

  /** A live push of message {@code index} reached its receiver {@code latencyNanos} after the send; out-of-range indexes are ignored. */
  void pushed(int index, long latencyNanos) {
    if (index >= 0 && index < sent() && pushes.getAndIncrement(index) == 0) {
      pushLatency.set(index, latencyNanos);
    }
  }

  /** The sync at the end found message {@code index} in its room's log (once per occurrence). */
  void foundInLog(int index) {
    if (index >= 0 && index < sent()) {
      inLog.incrementAndGet(index);
    }
  }

  int sent() {
    return Math.min(next.get(), capacity);
  }

  boolean allAnswered() {
    for (int i = 0; i < sent(); i++) {
      if (outcome.get(i) == 0) {
        return false;
      }
    }
    return true;
  }

  boolean allAcknowledgedPushed() {
    for (int i = 0; i < sent(); i++) {
      if (outcome.get(i) == ACKED && pushes.get(i) == 0) {
        return false;
      }
    }
    return true;
  }

  /** One row per second of the run (by send time), {@code t_s} counted from the fault. */
  List<JsonObject> perSecond(long faultAtNanos, long slowNanos) {
    List<Second> seconds = new ArrayList<>();
    for (int i = 0; i < sent(); i++) {
      int s = (int) (sentAt.get(i) / 1_000_000_000L);
      while (seconds.size() <= s) {
        seconds.add(new Second());
      }
      Second second = seconds.get(s);
      second.sent++;
      int o = outcome.get(i);
      if (o == ACKED) {
        long latency = answeredAt.get(i) - sentAt.get(i);
        second.acked++;
        second.latencies.record(latency);
        second.slow += latency > slowNanos ? 1 : 0;
        if (pushes.get(i) > 0) {
          second.pushed++;
          second.maxPushNanos = Math.max(second.maxPushNanos, pushLatency.get(i));
        }
      } else if (o == FAILED) {
        second.failedBy.merge(failure.get(i), 1L, Long::sum);
        second.maxFailNanos = Math.max(second.maxFailNanos, answeredAt.get(i) - sentAt.get(i));
      } else {
        second.unanswered++;
      }
    }
    List<JsonObject> rows = new ArrayList<>();
    long faultSecond = faultAtNanos / 1_000_000_000L;
    for (int s = 0; s < seconds.size(); s++) {
      Second second = seconds.get(s);
      rows.add(new JsonObject()
          .put("scenario", "direct-fault-second")
          .put("t_s", s - faultSecond)
          .put("sent", second.sent)
          .put("acked", second.acked)
          .put("failed", second.failedBy.values().stream().mapToLong(Long::longValue).sum())
          .put("failed_by", new JsonObject(new TreeMap<String, Object>(second.failedBy)))
          .put("unanswered", second.unanswered)
          .put("slow", second.slow)
          .put("pushed", second.pushed)
          .put("p50_ack_ms", second.latencies.percentileMs(50))
          .put("max_ack_ms", second.latencies.percentileMs(100))
          .put("max_push_ms", second.maxPushNanos / 1e6)
          .put("max_fail_ms", second.maxFailNanos / 1e6));
    }
    return rows;
  }

  private static final class Second {
    long sent;
    long acked;
    long unanswered;
    long slow;
    long pushed;
    long maxPushNanos;
    long maxFailNanos;
    final TreeMap<String, Long> failedBy = new TreeMap<>();
    final Latencies latencies = new Latencies();
  }

  /** The run's verdict; times in seconds from the fault (negative: before it), null when nothing happened. */
  JsonObject summary(long faultAtNanos, long slowNanos) {
    long acked = 0;
    long unanswered = 0;
    long slow = 0;
    long lost = 0;
    long ackedNotInLog = 0;
    long failedButInLog = 0;
    long pushMissedFoundInLog = 0;
    long duplicatesInLog = 0;
    long duplicatePushes = 0;
    long troubleBeforeFault = 0;
    long maxAckNanos = 0;
    long maxPushNanos = 0;
    long maxFailNanos = 0;
    TreeMap<String, Long> failedBy = new TreeMap<>();
    Window errors = new Window();
    Window slowAcks = new Window();
    Window pushMissed = new Window();
    for (int i = 0; i < sent(); i++) {
      int o = outcome.get(i);
      long sentNanos = sentAt.get(i);
      long answered = answeredAt.get(i);
      boolean fromFault = answered == NOT_YET || answered >= faultAtNanos;
      if (o == ACKED) {
        acked++;
        long latency = answered - sentNanos;
        maxAckNanos = Math.max(maxAckNanos, latency);
        if (latency > slowNanos) {
          slow++;
          if (fromFault) {
            slowAcks.include(sentNanos);
          } else {
            troubleBeforeFault++;
          }
        }
        if (pushes.get(i) > 0) {
          maxPushNanos = Math.max(maxPushNanos, pushLatency.get(i));
        }
        if (inLog.get(i) == 0) {
          ackedNotInLog++;
          lost += pushes.get(i) == 0 ? 1 : 0;
        } else if (pushes.get(i) == 0) {
          pushMissedFoundInLog++;
          pushMissed.include(sentNanos);
        }
      } else {
        if (o == FAILED) {
          failedBy.merge(failure.get(i), 1L, Long::sum);
          maxFailNanos = Math.max(maxFailNanos, answered - sentNanos);
          failedButInLog += inLog.get(i) > 0 ? 1 : 0;
        } else {
          unanswered++;
        }
        if (fromFault) {
          errors.include(sentNanos);
        } else {
          troubleBeforeFault++;
        }
      }
      duplicatesInLog += inLog.get(i) > 1 ? 1 : 0;
      duplicatePushes += pushes.get(i) > 1 ? 1 : 0;
    }
    long lastTrouble = Math.max(errors.last, slowAcks.last);
    Long recoveredAt = null;
    if (lastTrouble != Long.MIN_VALUE) {
      for (int i = 0; i < sent(); i++) {
        long sentNanos = sentAt.get(i);
        if (sentNanos > lastTrouble && outcome.get(i) == ACKED && answeredAt.get(i) - sentNanos <= slowNanos
            && (recoveredAt == null || sentNanos < recoveredAt)) {
          recoveredAt = sentNanos;
        }
      }
    }
    long failed = failedBy.values().stream().mapToLong(Long::longValue).sum();
    return new JsonObject()
        .put("scenario", "direct-fault")
        .put("sent", (long) sent())
        .put("acked", acked)
        .put("failed", failed)
        .put("failed_by", new JsonObject(new TreeMap<String, Object>(failedBy)))
        .put("unanswered", unanswered)
        .put("lost", lost)
        .put("acked_not_in_log", ackedNotInLog)
        .put("duplicates_in_log", duplicatesInLog)
        .put("duplicate_pushes", duplicatePushes)
        .put("failed_but_in_log", failedButInLog)
        .put("push_missed_found_by_sync", pushMissedFoundInLog)
        .put("push_missed_from_s", pushMissed.fromS(faultAtNanos))
        .put("push_missed_to_s", pushMissed.toS(faultAtNanos))
        .put("slow_acks", slow)
        .put("max_ack_ms", maxAckNanos / 1e6)
        .put("max_push_ms", maxPushNanos / 1e6)
        .put("max_fail_ms", maxFailNanos / 1e6)
        .put("slow_or_failed_before_fault", troubleBeforeFault)
        .put("error_from_s", errors.fromS(faultAtNanos))
        .put("error_to_s", errors.toS(faultAtNanos))
        .put("error_window_s", errors.length())
        .put("slow_from_s", slowAcks.fromS(faultAtNanos))
        .put("slow_to_s", slowAcks.toS(faultAtNanos))
        .put("recovered", lastTrouble == Long.MIN_VALUE || recoveredAt != null)
        .put("recovered_after_s", recoveredAt == null ? null : (recoveredAt - faultAtNanos) / 1e9);
  }

  /** First and last send time of a kind of trouble; {@code last} stays MIN_VALUE while empty. */
  private static final class Window {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;

    void include(long nanos) {
      first = Math.min(first, nanos);
      last = Math.max(last, nanos);
    }

    boolean empty() {
      return first == Long.MAX_VALUE;
    }

    Double fromS(long originNanos) {
      return empty() ? null : (first - originNanos) / 1e9;
    }

    Double toS(long originNanos) {
      return empty() ? null : (last - originNanos) / 1e9;
    }

    Double length() {
      return empty() ? null : (last - first) / 1e9;
    }
  }
}
