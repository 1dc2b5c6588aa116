package io.parley.shared.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.protocol.StatusCode;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** A handler's failure becomes exactly one reply: UNAVAILABLE for an outage, INTERNAL_ERROR for a bug. */
class ServiceEndpointTest {
  @Test
  void a_dependency_outage_answers_unavailable_so_the_client_retries() {
    for (Throwable outage : new Throwable[] {new ConnectException("Connection refused"), ClosedConnectionException.INSTANCE}) {
      BusReply reply = ServiceEndpoint.failureReply("test", outage);
      assertThat(reply.packet().statusCode()).as(outage.toString()).contains(StatusCode.UNAVAILABLE);
      assertThat(reply.packet().data().encode()).doesNotContain("correlation id");
    }
  }

  @Test
  void a_bug_answers_internal_error_with_a_correlation_id() {
    BusReply reply = ServiceEndpoint.failureReply("test", new IllegalStateException("bug"));
    assertThat(reply.packet().statusCode()).contains(StatusCode.INTERNAL_ERROR);
    assertThat(reply.packet().data().encode()).contains("correlation id");
  }
}
