package io.parley.shared.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.protocol.PacketType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketRoutesTest {
  @Test
  void every_client_request_is_answered_by_the_gateway_or_routed_to_one_address_of_its_own() {
    List<PacketType> requests = Arrays.stream(PacketType.values()).filter(PacketType::isClientRequest).toList();

    assertThat(requests).allSatisfy(type -> assertThat(PacketRoutes.isGatewayRequest(type) != PacketRoutes.isRoutedRequest(type))
        .as(type + " is either the gateway's or a service's").isTrue());
    List<String> addresses = requests.stream().filter(PacketRoutes::isRoutedRequest).map(PacketRoutes::address).toList();
    assertThat(addresses).doesNotHaveDuplicates();
    assertThat(PacketRoutes.of(PacketType.CHAT_ACTION)).isEqualTo(new PacketRoutes.Route(Service.MESSAGE, Addresses.MESSAGE_CHAT_ACTION));
  }

  @Test
  void packets_only_the_server_sends_are_routed_nowhere() {
    assertThat(Arrays.stream(PacketType.values()).filter(type -> !type.sentByClient()))
        .allSatisfy(type -> assertThat(PacketRoutes.of(type)).isEqualTo(new PacketRoutes.Route(Service.NONE, null)));
  }
}
