package io.parley.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Admission counts: every refusal names its limit, and releasing a ticket gives its slots back. */
class ConnectionLimitsTest {
  private final ConnectionLimits limits = new ConnectionLimits(new ConnectionLimits.Settings(4, 3, 3, 2));

  private ConnectionLimits.Ticket admit(String address) {
    return (ConnectionLimits.Ticket) limits.admit(address);
  }

  private Refusal refusal(String address) {
    return ((ConnectionLimits.Refused) limits.admit(address)).reason();
  }

  @Test
  void an_address_over_its_unfinished_handshakes_is_refused_until_one_finishes() {
    ConnectionLimits.Ticket first = admit("a");
    admit("a");

    assertThat(refusal("a")).isEqualTo(Refusal.ADDRESS_HANDSHAKES);
    first.handshakeDone();
    assertThat(limits.admit("a")).isInstanceOf(ConnectionLimits.Ticket.class);
    assertThat(refusal("a")).isEqualTo(Refusal.ADDRESS_CONNECTIONS);
  }

  @Test
  void the_gateway_total_refuses_everyone_and_a_release_makes_room() {
    ConnectionLimits.Ticket first = admit("a");
    admit("b");
    admit("c");
    admit("d");

    assertThat(refusal("e")).isEqualTo(Refusal.GATEWAY_CONNECTIONS);
    first.release();
    assertThat(limits.admit("e")).isInstanceOf(ConnectionLimits.Ticket.class);
  }

  @Test
  void the_handshake_cap_is_reported_not_enforced_so_the_caller_can_shed_the_oldest() {
    admit("a");
    admit("b");
    admit("c");
    assertThat(limits.handshakesOverCap()).isFalse();

    ConnectionLimits.Ticket fourth = admit("d");

    assertThat(limits.handshakesOverCap()).isTrue();
    fourth.handshakeDone();
    assertThat(limits.handshakesOverCap()).isFalse();
  }

  @Test
  void releasing_twice_or_after_the_handshake_counts_once_and_forgets_the_address() {
    ConnectionLimits.Ticket ticket = admit("a");
    ticket.handshakeDone();
    ticket.release();
    ticket.release();
    ticket.handshakeDone();

    assertThat(limits.connections()).isZero();
    assertThat(limits.handshakes()).isZero();
    assertThat(limits.connections("a")).isZero();
  }
}
