package io.parley.room.rooms;

import io.parley.shared.protocol.packet.RoomType;
import io.parley.shared.room.Role;
import java.util.UUID;

/**
 * One row of a user's room list.
 *
 * @param name the name this user sees (for a direct room, the other person's username)
 * @param members how many members the room has
 * @param role the user's own role
 */
public record ListedRoom(UUID id, RoomType type, String name, int members, Role role) {}
