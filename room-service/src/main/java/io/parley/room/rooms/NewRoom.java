package io.parley.room.rooms;

import io.parley.shared.protocol.packet.RoomType;
import io.parley.shared.room.Role;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A room to create.
 *
 * @param directKey for a direct room the pair's key ({@link RoomStore#directKey}), else null
 * @param members everyone with their role, the creator first
 */
public record NewRoom(RoomType type, String name, String directKey, String createdBy, Map<String, Role> members) {
  public NewRoom {
    members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
  }
}
