package io.parley.shared.infra;

import static io.parley.testing.Futures.await;
import static io.parley.testing.Futures.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.Migrations.Migration;
import io.parley.testing.TestInfra;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Row;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ParleyInfraTest {
  private static Vertx vertx;
  private static ParleyConfig config;
  private static ServiceResources auth;

  private static final Migrations AUTH = Migrations.of("auth", List.of(
      Migration.of("V1__create_accounts.sql", "CREATE TABLE accounts (username text PRIMARY KEY);")));

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    config = TestInfra.config(ParleyInfraTest.class.getSimpleName());
    auth = await(ParleyInfra.open(vertx, config, AUTH));
  }

  @AfterAll
  static void stop() {
    await(auth.close());
    await(vertx.close());
  }

  @Test
  void aServiceSeesItsOwnSchemaUnqualified() {
    Row path = await(auth.pool().query("SHOW search_path").execute()).iterator().next();
    assertThat(path.getString(0)).isEqualTo("auth");

    await(auth.pool().query("INSERT INTO accounts VALUES ('ada')").execute());
    Row row = await(auth.pool().query("SELECT count(*) FROM auth.accounts").execute()).iterator().next();
    assertThat(row.getLong(0)).isEqualTo(1L);
  }

  @Test
  void twoServicesInOneDatabaseOwnSeparateSchemas() {
    Migrations room = Migrations.of("room", List.of(
        Migration.of("V1__create_accounts.sql", "CREATE TABLE accounts (id integer);")));
    ServiceResources roomService = await(ParleyInfra.open(vertx, config, room));
    try {
      Row tables = await(roomService.pool().query(
          "SELECT count(*) FROM pg_tables WHERE tablename = 'accounts' AND schemaname IN ('auth', 'room')")
          .execute()).iterator().next();
      assertThat(tables.getLong(0)).isEqualTo(2L);
    } finally {
      await(roomService.close());
    }
  }

  @Test
  void pingChecksBothServersAndRedisUsesTheConfiguredDatabase() {
    await(auth.ping());

    await(auth.redisApi().set(List.of("who", "auth-test")));
    Response value = await(auth.redisApi().get("who"));
    assertThat(value.toString()).isEqualTo("auth-test");
    // Another test class's config selects another logical database: the key is not there.
    ServiceResources other = await(ParleyInfra.open(vertx, TestInfra.config("ParleyInfraTestOther"), AUTH));
    try {
      assertThat(await(other.redisApi().get("who"))).isNull();
    } finally {
      await(other.close());
    }
  }

  @Test
  void pingFailsNamingTheServerThatIsDown() {
    ServiceResources closed = await(ParleyInfra.open(vertx, config, AUTH));
    await(closed.pool().close());

    assertThat(awaitFailure(closed.ping())).hasMessageStartingWith("PostgreSQL unreachable");
    await(closed.redis().close());
  }

  @Test
  void missingUrlsFailNamingTheVariable() {
    assertThat(awaitFailure(ParleyInfra.open(vertx, config.with(ConfigKey.PG_URL, ""), AUTH)))
        .hasMessageStartingWith("PARLEY_PG_URL is empty");
    assertThat(awaitFailure(ParleyInfra.open(vertx, config.with(ConfigKey.REDIS_URL, ""), AUTH)))
        .hasMessageStartingWith("PARLEY_REDIS_URL is empty");
    assertThat(awaitFailure(ParleyInfra.open(vertx, config.with(ConfigKey.PG_URL, "mysql://secret@x"), AUTH)))
        .hasMessageStartingWith("PARLEY_PG_URL is not a valid PostgreSQL URL")
        .hasMessageNotContaining("secret");
  }

  @Test
  void aSchemaWithoutAMigrationIndexFailsClearly() {
    assertThat(awaitFailure(ParleyInfra.open(vertx, config, "nosuchservice")))
        .hasMessageContaining("db/nosuchservice/migrations.txt");
  }
}
