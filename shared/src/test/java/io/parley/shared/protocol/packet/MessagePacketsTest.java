package io.parley.shared.protocol.packet;

import static io.parley.shared.protocol.Wire.badPacket;
import static io.parley.shared.protocol.Wire.ciphertext;
import static io.parley.shared.protocol.Wire.data;
import static io.parley.shared.protocol.Wire.refused;
import static io.parley.shared.protocol.Wire.x25519Pem;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.protocol.Limits;
import io.parley.shared.protocol.StatusCode;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CHAT_ACTION, SYNC_ROOM_REQ, READ_RECEIPT. */
class MessagePacketsTest {

  private static final String ROOM = "0190a3c4-7e1f-7d2a-9b3c-4d5e6f708192";
  private static final String MSG = "0190a3c5-0000-7000-8000-000000000001";
  private static final UUID ROOM_ID = UUID.fromString(ROOM);
  private static final UUID MSG_ID = UUID.fromString(MSG);
  private static final String CT = ciphertext(48);

  private static ChatAction chat(String action, String actiondata) {
    return ChatAction.parse(data("{'room':'" + ROOM + "','action':'" + action + "','actiondata':" + actiondata + "}"));
  }

  private static JsonObject chatData(String action, Object actiondata) {
    return new JsonObject().put("room", ROOM).put("action", action).put("actiondata", actiondata);
  }

  // --- CHAT_ACTION ---

  @Test
  @DisplayName("every CHAT_ACTION action parses and round-trips")
  void everyChatAction() {
    List<ChatAction.Action> actions =
        List.of(
            new ChatAction.Send(MessageFormat.TEXT, CT),
            new ChatAction.Edit(MSG_ID, CT),
            new ChatAction.Delete(MSG_ID, CT),
            new ChatAction.Pin(MSG_ID),
            new ChatAction.SavePubkey(x25519Pem()));
    assertThat(actions).extracting(ChatAction.Action::kind).containsExactly(ChatAction.Kind.values());
    for (ChatAction.Action action : actions) {
      ChatAction packet = new ChatAction(ROOM_ID, action);
      assertThat(ChatAction.parse(packet.toData())).isEqualTo(packet);
    }
    ChatAction noReason = new ChatAction(ROOM_ID, new ChatAction.Delete(MSG_ID, null));
    assertThat(ChatAction.parse(noReason.toData())).isEqualTo(noReason);
  }

  @Test
  @DisplayName("a send as the seed writes it: {format: msg-text, content: ciphertext}")
  void sendAsWritten() {
    ChatAction send = chat("send", "{'format':'msg-text','content':'" + CT + "'}");
    assertThat(send).isEqualTo(new ChatAction(ROOM_ID, new ChatAction.Send(MessageFormat.TEXT, CT)));
    assertThat(send.kind()).isEqualTo(ChatAction.Kind.SEND);
  }

  @ParameterizedTest
  @ValueSource(strings = {"msg-smallfile", "msg-largefile"})
  @DisplayName("file formats are valid at the edge (the message service answers UNSUPPORTED_FORMAT)")
  void fileFormatsAreValid(String format) {
    ChatAction.Send send = (ChatAction.Send) chat("send", "{'format':'" + format + "','content':'" + CT + "'}").action();
    assertThat(send.format().wireName()).isEqualTo(format);
  }

  @Test
  @DisplayName("an unknown format → BAD_PACKET actiondata.format")
  void unknownFormat() {
    assertThat(badPacket("actiondata.format", () -> chat("send", "{'format':'msg-html','content':'" + CT + "'}")))
        .isEqualTo("unknown format 'msg-html', expected one of msg-text, msg-smallfile, msg-largefile");
  }

  @Test
  @DisplayName("a send whose content is missing, empty or not base64 → BAD_PACKET actiondata.content")
  void badContent() {
    badPacket("actiondata.content", () -> chat("send", "{'format':'msg-text'}"));
    badPacket("actiondata.content", () -> chat("send", "{'format':'msg-text','content':''}"));
    badPacket("actiondata.content", () -> chat("send", "{'format':'msg-text','content':'hello world'}"));
    badPacket("actiondata.content", () -> chat("send", "{'format':'msg-text','content':{'ct':'" + CT + "'}}"));
  }

  @Test
  @DisplayName("a send of 64 KiB + 1 byte → TOO_LARGE actiondata.content; exactly 64 KiB is fine")
  void contentTooLarge() {
    JsonObject over = new JsonObject().put("format", "msg-text").put("content", ciphertext(Limits.MESSAGE_CONTENT_MAX_BYTES + 1));
    refused(StatusCode.TOO_LARGE, "actiondata.content", () -> ChatAction.parse(chatData("send", over)));
    JsonObject limit = new JsonObject().put("format", "msg-text").put("content", ciphertext(Limits.MESSAGE_CONTENT_MAX_BYTES));
    assertThat(ChatAction.parse(chatData("send", limit)).action()).isInstanceOf(ChatAction.Send.class);
  }

  @Test
  @DisplayName("an edit of 64 KiB + 1 byte → TOO_LARGE actiondata.content; a bad msg → BAD_PACKET actiondata.msg")
  void badEdit() {
    JsonObject over = new JsonObject().put("msg", MSG).put("content", ciphertext(Limits.MESSAGE_CONTENT_MAX_BYTES + 1));
    refused(StatusCode.TOO_LARGE, "actiondata.content", () -> ChatAction.parse(chatData("edit", over)));
    badPacket("actiondata.msg", () -> chat("edit", "{'content':'" + CT + "'}"));
    badPacket("actiondata.msg", () -> chat("edit", "{'msg':'latest','content':'" + CT + "'}"));
  }

  @Test
  @DisplayName("a delete reason over 4 KiB → TOO_LARGE actiondata.reason; not base64 → BAD_PACKET")
  void badDeleteReason() {
    JsonObject over = new JsonObject().put("msg", MSG).put("reason", ciphertext(Limits.DELETE_REASON_MAX_BYTES + 1));
    refused(StatusCode.TOO_LARGE, "actiondata.reason", () -> ChatAction.parse(chatData("delete", over)));
    badPacket("actiondata.reason", () -> chat("delete", "{'msg':'" + MSG + "','reason':'spam!'}"));
    assertThat(chat("delete", "{'msg':'" + MSG + "','reason':null}").action())
        .isEqualTo(new ChatAction.Delete(MSG_ID, null));
  }

  @Test
  @DisplayName("a pin without msg → BAD_PACKET actiondata.msg")
  void badPin() {
    badPacket("actiondata.msg", () -> chat("pin", "{}"));
    badPacket("actiondata", () -> chat("pin", "'" + MSG + "'"));
  }

  @Test
  @DisplayName("save-pubkey takes the PEM itself as actiondata (the seed) or {chat_pubkey: PEM}")
  void savePubkey() {
    String pem = x25519Pem();
    ChatAction plain = ChatAction.parse(chatData("save-pubkey", pem));
    ChatAction wrapped = ChatAction.parse(chatData("save-pubkey", new JsonObject().put("chat_pubkey", pem)));
    assertThat(plain).isEqualTo(wrapped).isEqualTo(new ChatAction(ROOM_ID, new ChatAction.SavePubkey(pem)));
    assertThat(plain.toData().getString("actiondata")).isEqualTo(pem);
  }

  @Test
  @DisplayName("save-pubkey with a non-PEM → BAD_PACKET actiondata or actiondata.chat_pubkey")
  void badSavePubkey() {
    badPacket("actiondata", () -> chat("save-pubkey", "'not a key'"));
    badPacket("actiondata", () -> chat("save-pubkey", "42"));
    badPacket("actiondata.chat_pubkey", () -> chat("save-pubkey", "{'chat_pubkey':'not a key'}"));
    badPacket("actiondata.chat_pubkey", () -> chat("save-pubkey", "{}"));
  }

  @Test
  @DisplayName("an unknown chat action → BAD_PACKET action; a bad room → BAD_PACKET room")
  void badChatEnvelope() {
    assertThat(badPacket("action", () -> chat("react", "{}")))
        .isEqualTo("unknown action 'react', expected one of send, edit, delete, pin, save-pubkey");
    badPacket("room", () -> ChatAction.parse(data("{'action':'pin','actiondata':{'msg':'" + MSG + "'}}")));
    badPacket("actiondata", () -> ChatAction.parse(data("{'room':'" + ROOM + "','action':'pin'}")));
  }

  // --- SYNC_ROOM_REQ ---

  @Test
  @DisplayName("SYNC_ROOM_REQ from null (the latest events) parses with direction after and round-trips")
  void syncLatest() {
    SyncRoomReq req = SyncRoomReq.parse(data("{'room':'" + ROOM + "','count':50,'from':null}"));
    assertThat(req).isEqualTo(new SyncRoomReq(ROOM_ID, 50, null, SyncRoomReq.Direction.AFTER));
    assertThat(SyncRoomReq.parse(req.toData())).isEqualTo(req);
    assertThat(SyncRoomReq.parse(data("{'room':'" + ROOM + "','count':50}"))).isEqualTo(req);
  }

  @Test
  @DisplayName("SYNC_ROOM_REQ scrollback before an event parses and round-trips")
  void syncBefore() {
    SyncRoomReq req = SyncRoomReq.parse(data("{'room':'" + ROOM + "','count':1000,'from':'" + MSG + "','direction':'before'}"));
    assertThat(req).isEqualTo(new SyncRoomReq(ROOM_ID, 1000, MSG_ID, SyncRoomReq.Direction.BEFORE));
    assertThat(SyncRoomReq.parse(req.toData())).isEqualTo(req);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "1001", "10.5", "'10'", "null"})
  @DisplayName("a count of 0, negative, over 1000 or not a whole number → BAD_PACKET count")
  void badCount(String count) {
    badPacket("count", () -> SyncRoomReq.parse(data("{'room':'" + ROOM + "','count':" + count + "}")));
  }

  @Test
  @DisplayName("a from that is not an event id, or an unknown direction → BAD_PACKET from / direction")
  void badFromAndDirection() {
    badPacket("from", () -> SyncRoomReq.parse(data("{'room':'" + ROOM + "','count':5,'from':'latest'}")));
    badPacket("direction", () -> SyncRoomReq.parse(data("{'room':'" + ROOM + "','count':5,'direction':'up'}")));
    badPacket("room", () -> SyncRoomReq.parse(data("{'count':5}")));
  }

  // --- READ_RECEIPT ---

  @Test
  @DisplayName("READ_RECEIPT {room, msg} parses and round-trips; bad ids → BAD_PACKET room / msg")
  void readReceipt() {
    ReadReceipt receipt = ReadReceipt.parse(data("{'room':'" + ROOM + "','msg':'" + MSG + "'}"));
    assertThat(receipt).isEqualTo(new ReadReceipt(ROOM_ID, MSG_ID));
    assertThat(ReadReceipt.parse(receipt.toData())).isEqualTo(receipt);
    badPacket("room", () -> ReadReceipt.parse(data("{'msg':'" + MSG + "'}")));
    badPacket("msg", () -> ReadReceipt.parse(data("{'room':'" + ROOM + "','msg':7}")));
  }
}
