package io.parley.room.rooms;

import io.parley.shared.protocol.BadPacketException;
import java.util.ArrayList;
import java.util.List;

/**
 * BAD_PACKET for people without an account, each named by their place in the packet:
 * {@code people[1]: no such user 'zed'; people[3]: no such user 'yves'}. Quoting is safe: the edge
 * only lets through usernames of {@code [a-z0-9_.]}.
 */
final class NoSuchUsers {
  private NoSuchUsers() {}

  static BadPacketException in(String field, List<String> people, List<String> unknown) {
    List<String> reasons = new ArrayList<>();
    for (String user : unknown) {
      String path = field + "[" + people.indexOf(user) + "]";
      reasons.add((reasons.isEmpty() ? "" : path + ": ") + "no such user '" + user + "'");
    }
    return new BadPacketException(field + "[" + people.indexOf(unknown.get(0)) + "]", String.join("; ", reasons));
  }
}
