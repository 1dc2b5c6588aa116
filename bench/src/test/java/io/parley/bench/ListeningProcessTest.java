package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ListeningProcessTest {

  @Test
  void the_process_listening_on_a_port_is_found_by_the_port_alone() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(ListeningProcess.on(socket.getLocalPort())).contains(ProcessHandle.current().pid());
    }
  }

  @Test
  void a_port_nobody_listens_on_names_no_process() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    assertThat(ListeningProcess.on(port)).isEmpty();
  }
}
