package io.parley.shared.bus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BusTimeoutsTest {
  final BusTimeouts timeouts = new BusTimeouts(12_000);

  @Test
  void a_client_request_gets_the_whole_wait() {
    assertThat(timeouts.of(Addresses.MESSAGE_CHAT_ACTION)).isEqualTo(12_000);
    assertThat(timeouts.of(Addresses.AUTH_TOKEN_REVOKED)).isEqualTo(12_000);
  }

  @Test
  void a_request_made_while_serving_a_client_answers_inside_the_client_s_wait() {
    assertThat(timeouts.of(Addresses.ROOM_MEMBERS)).isEqualTo(3_000);
    assertThat(timeouts.of(Addresses.AUTH_USERS_EXIST)).isEqualTo(3_000);
    assertThat(timeouts.of(Addresses.MESSAGE_APPEND_ROOM_EVENT)).isEqualTo(3_000);
    assertThat(timeouts.of(Addresses.MESSAGE_FORGET_SENDER)).isEqualTo(4_000);
  }

  @Test
  void a_tiny_configured_wait_still_leaves_every_request_a_millisecond() {
    assertThat(new BusTimeouts(2).of(Addresses.ROOM_MEMBERS)).isEqualTo(1);
  }
}
