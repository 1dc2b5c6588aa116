package io.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.vertx.pgclient.PgConnectOptions;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class TestInfraTest {

  @Test
  void eachCallGetsItsOwnDatabaseRedisIndexAndDirectories() throws Exception {
    ParleyConfig first = TestInfra.config("Some Test-Class");
    ParleyConfig second = TestInfra.config("Some Test-Class");

    String firstDb = PgConnectOptions.fromUri(first.get(ConfigKey.PG_URL)).getDatabase();
    String secondDb = PgConnectOptions.fromUri(second.get(ConfigKey.PG_URL)).getDatabase();
    assertThat(firstDb).startsWith("t_some_test_class_").isNotEqualTo(secondDb);
    try (Connection c = TestInfra.servers().adminConnection(secondDb); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    }
    assertThat(first.get(ConfigKey.REDIS_URL)).isNotEqualTo(second.get(ConfigKey.REDIS_URL))
        .doesNotEndWith("/0");
    assertThat(first.getInt(ConfigKey.TCP_PORT)).isZero();
    assertThat(first.getInt(ConfigKey.WS_PORT)).isZero();
    assertThat(first.getPath(ConfigKey.IDENTITY_KEY_FILE).getParent()).isDirectory();
    assertThat(first.getPath(ConfigKey.DATA_DIR)).isNotEqualTo(second.getPath(ConfigKey.DATA_DIR));
    assertThat(Files.exists(first.getPath(ConfigKey.IDENTITY_KEY_FILE))).isFalse();
  }
}
