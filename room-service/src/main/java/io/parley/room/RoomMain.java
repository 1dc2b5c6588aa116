package io.parley.room;

import io.parley.shared.service.ServiceLauncher;

/** Runs the room service alone: `java -jar parley-room.jar`. */
public final class RoomMain {
  private RoomMain() {}

  public static void main(String[] args) {
    ServiceLauncher.run("room", RoomVerticle::new);
  }
}
