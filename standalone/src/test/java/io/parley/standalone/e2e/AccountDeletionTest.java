package io.parley.standalone.e2e;

import static io.parley.standalone.e2e.ChatFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.parley.client.ParleyStatusException;
import io.parley.client.e2e.ChatHome;
import io.parley.client.e2e.MemberKeys;
import io.parley.client.e2e.RoomSummary;
import io.parley.shared.protocol.StatusCode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DELETE_ACCOUNT through {@code parley delete-account} against a standalone server: the password is
 * required, the person's live sessions on other devices end, their profile, devices and tokens are
 * gone (no login, no resume, the username is free and a new account with it starts afresh), and the
 * rooms keep their messages' places as tombstones without text.
 */
class AccountDeletionTest {
  static ChatFixture fixture;
  static CliRunner cli;

  @BeforeAll
  static void start() throws Exception {
    fixture = new ChatFixture(AccountDeletionTest.class.getSimpleName());
    cli = new CliRunner(fixture);
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  @Test
  void a_deleted_account_leaves_tombstones_ends_its_sessions_and_frees_its_name() throws Exception {
    ChatFixture.Client ada = fixture.signUp("gone");
    ChatFixture.Client bob = fixture.signUp("stays");
    UUID direct = await(ada.chat.createDirect(bob.user));
    UUID group = await(ada.chat.createGroup("club", List.of(bob.user)));
    await(ada.chat.send(direct, "secret plans"));
    await(ada.chat.send(group, "hello club"));
    await(bob.chat.send(direct, "reply from bob"));

    Path phoneHome = fixture.homes.resolve(ada.user + "-phone");
    ChatFixture.Client phone = fixture.new Client(ada.user, phoneHome, fixture.options(phoneHome));
    List<String> phoneWarnings = new CopyOnWriteArrayList<>();
    phone.chat.onWarning(phoneWarnings::add);
    await(phone.chat.connect());
    await(phone.chat.login(ada.user, ChatFixture.PASSWORD, true));
    ChatHome.Session phoneSession = phone.chat.home().loadSession().orElseThrow();

    CliRunner.Run notConfirmed = cli.parley(ada.home, "somebody_else\n", "delete-account");
    assertThat(notConfirmed.code()).isEqualTo(1);
    assertThat(notConfirmed.out()).contains("Not deleted: that is not your username.");
    CliRunner.Run wrongPassword = cli.parley(ada.home, ada.user + "\nnot the password\n", "delete-account");
    assertThat(wrongPassword.code()).isEqualTo(1);
    assertThat(wrongPassword.err()).contains("Wrong username or password.");
    assertThat(await(bob.chat.members(group)).stream().map(MemberKeys::user)).contains(ada.user);

    CliRunner.Run deleted = cli.parley(ada.home, ada.user + "\n" + ChatFixture.PASSWORD + "\n", "delete-account");
    assertThat(deleted.code()).as(deleted.out() + deleted.err()).isZero();
    assertThat(deleted.out()).contains("Account " + ada.user + " deleted.");

    awaitWarning(phoneWarnings, "this device was logged out");
    // The phone forgot its session when told; its token, put back, is refused as well.
    phone.chat.home().saveSession(phoneSession);
    assertThatThrownBy(() -> await(phone.restart().chat.connect()))
        .isInstanceOfSatisfying(ParleyStatusException.class, e -> assertThat(e.code()).contains(StatusCode.TOKEN_REFUSED));
    Path laptopHome = fixture.homes.resolve(ada.user + "-laptop");
    ChatFixture.Client laptop = fixture.new Client(ada.user, laptopHome, fixture.options(laptopHome));
    await(laptop.chat.connect());
    assertThatThrownBy(() -> await(laptop.chat.login(ada.user, ChatFixture.PASSWORD, true)))
        .isInstanceOfSatisfying(ParleyStatusException.class, e -> assertThat(e.code()).contains(StatusCode.LOGIN_FAILED));

    CliRunner.Run bobReads = cli.parley(bob.home, "", "history", direct.toString());
    assertThat(bobReads.out())
        .contains(ada.user + ": [message of a deleted account]")
        .contains(bob.user + ": reply from bob")
        .contains(ada.user + " deleted their account")
        .doesNotContain("secret plans");
    assertThat(cli.parley(bob.home, "", "history", group.toString()).out()).doesNotContain("hello club");
    // Ada owned the group alone: Bob, the one left, owns it now.
    assertThat(await(bob.chat.members(group))).extracting(MemberKeys::user, MemberKeys::role).containsExactly(tuple(bob.user, "owner"));
    assertThat(cli.parley(bob.home, "", "history", group.toString()).out()).contains(ada.user + " made " + bob.user + " owner");

    // The name is free; the new account is someone else and sees none of the old one's rooms.
    Path newcomerHome = fixture.homes.resolve(ada.user + "-newcomer");
    ChatFixture.Client newcomer = fixture.new Client(ada.user, newcomerHome, fixture.options(newcomerHome));
    await(newcomer.chat.connect());
    await(newcomer.chat.signup(ada.user, "new-" + ada.user + "@example.org", "Someone New", LocalDate.of(1991, 2, 3),
        ChatFixture.PASSWORD, ChatFixture.noImages()));
    await(newcomer.chat.login(ada.user, ChatFixture.PASSWORD, true));
    assertThat(await(newcomer.chat.rooms())).isEmpty();
    assertThat(await(newcomer.chat.createDirect(bob.user))).isNotEqualTo(direct);
    assertThat(await(newcomer.chat.rooms()).stream().map(RoomSummary::room)).doesNotContain(direct, group);
  }

  /** Polls the warnings a client received until one contains {@code text}, for at most 30 s. */
  private static void awaitWarning(List<String> warnings, String text) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (warnings.stream().noneMatch(w -> w.contains(text))) {
      assertThat(System.nanoTime()).as("a warning containing '%s'; got %s", text, warnings).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
