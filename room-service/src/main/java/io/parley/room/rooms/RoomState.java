package io.parley.room.rooms;

import io.parley.shared.protocol.packet.RoomType;
import io.parley.shared.room.Role;
import io.parley.shared.room.RoomMembership;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A live room as stored: type, stored name (null for a direct room created without one) and its
 * members with their roles, owners first, then admins, then members, each by username.
 */
public record RoomState(UUID id, RoomType type, String name, Map<String, Role> members) {

  public RoomState {
    members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
  }

  public Optional<Role> roleOf(String user) {
    return Optional.ofNullable(members.get(user));
  }

  public boolean isMember(String user) {
    return members.containsKey(user);
  }

  public long owners() {
    return members.values().stream().filter(role -> role == Role.OWNER).count();
  }

  public List<String> usernames() {
    return List.copyOf(members.keySet());
  }

  /**
   * The name a member sees: a direct room is shown under the other person's username (each side sees
   * the other), groups and channels under their stored name.
   */
  public String displayNameFor(String viewer) {
    if (type != RoomType.DIRECT) {
      return name;
    }
    return members.keySet().stream().filter(user -> !user.equals(viewer)).findFirst().orElse(viewer);
  }

  public RoomMembership membership() {
    return new RoomMembership(id, type, members);
  }
}
