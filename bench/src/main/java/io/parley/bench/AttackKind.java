package io.parley.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What a hostile client of the abuse scenario does; the names are the values of {@code --attack}. */
enum AttackKind {
  /** Connects and never sends a byte. */
  SILENT("silent"),
  /** Sends only a length prefix announcing the largest frame, before any handshake, then nothing. */
  ANNOUNCE_PRE("announce-pre"),
  /** Completes the handshake, then announces the largest record and sends nothing more. */
  ANNOUNCE_POST("announce-post"),
  /** Trickles a CONN_INIT frame one byte at a time. */
  DRIBBLE_PRE("dribble-pre"),
  /** Completes the handshake, then trickles a record one byte at a time. */
  DRIBBLE_POST("dribble-post"),
  /** Starts handshakes as fast as it can and leaves each right after CONN_ENCRYPT_S. */
  HANDSHAKE_FLOOD("handshake-flood"),
  /** Authenticated connections sending ROOM_LIST as fast as TCP takes it. */
  PACKET_FLOOD("packet-flood");

  private final String flag;

  AttackKind(String flag) {
    this.flag = flag;
  }

  String flag() {
    return flag;
  }

  static AttackKind fromFlag(String flag) {
    for (AttackKind kind : values()) {
      if (kind.flag.equals(flag)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown attack '" + flag + "'; known: " + names() + ", each, all");
  }

  static List<String> names() {
    return Arrays.stream(values()).map(AttackKind::flag).toList();
  }

  /**
   * The rounds {@code --attack} asks for, in order; the kinds of one round run at the same time.
   * Items are comma-separated: a kind, {@code a+b} (both at once), {@code each} (every kind, one round
   * each) or {@code all} (every kind in one round).
   */
  static List<List<AttackKind>> rounds(String spec) {
    List<List<AttackKind>> rounds = new ArrayList<>();
    for (String item : spec.split(",")) {
      String name = item.trim();
      if (name.equals("each")) {
        Arrays.stream(values()).forEach(kind -> rounds.add(List.of(kind)));
      } else if (name.equals("all")) {
        rounds.add(List.of(values()));
      } else {
        rounds.add(Arrays.stream(name.split("\\+")).map(String::trim).map(AttackKind::fromFlag).distinct().toList());
      }
    }
    return rounds;
  }
}
