package io.parley.shared.fuzz;

import io.parley.shared.channel.ChannelExhaustedException;
import io.parley.shared.channel.FrameDecoder;
import io.parley.shared.channel.SecureChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Writes the seed corpus of the fuzz targets: valid and nearly valid inputs, one file each, under
 * src/test/resources/io/parley/shared/fuzz/{Target}Inputs/{method}/seed-*. Regression inputs from
 * findings sit next to them as regression-* files and are not touched. Run from the shared module
 * after changing an input format or the fixed handshake (docs/fuzzing.md):
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.parley.shared.fuzz.SeedCorpus
 * </pre>
 */
public final class SeedCorpus {

  private static final Path ROOT = Path.of("src", "test", "resources", "io", "parley", "shared", "fuzz");
  private static final String ROOM = "0190a3c4-7e1f-7d2a-9b3c-4d5e6f708192";
  private static final String MSG = "0190a3c4-7e1f-7d2a-9b3c-4d5e6f708193";
  private static final String X25519_PEM =
      "-----BEGIN PUBLIC KEY-----\\nMCowBQYDK2VuAyEAWGmv9FBUlzLLqu1eXfmzCm2jHLDldCutWtShp2jxpns=\\n-----END PUBLIC KEY-----\\n";
  private static final String LOGIN = "{\"type\":\"LOGIN\",\"id\":\"1\",\"data\":{\"id\":\"ada.l\",\"password\":\"correct horse battery\",\"save\":true}}";

  private SeedCorpus() {}

  public static void main(String[] args) throws IOException {
    frameDecoder(ROOT.resolve("FrameDecoderFuzzTestInputs").resolve("splitStream"));
    connInit(ROOT.resolve("ConnInitFuzzTestInputs").resolve("respond"));
    connEncryptC(ROOT.resolve("ConnEncryptCFuzzTestInputs").resolve("complete"));
    packets(ROOT.resolve("PacketFuzzTestInputs").resolve("decodeAndParse"));
    records(ROOT.resolve("RecordFuzzTestInputs").resolve("openRecords"));
  }

  // --- FrameDecoderFuzzTest: u16 limit, then (u8 length, bytes) chunks ---

  private static void frameDecoder(Path dir) throws IOException {
    byte[] connInit = FrameDecoder.encode(Handshakes.connInit()).getBytes();
    write(dir, "seed-conn-init-one-chunk", chunks(1024, connInit));
    write(dir, "seed-conn-init-byte-by-byte", chunks(1024, split(connInit, 1)));
    write(dir, "seed-header-split-1-3-then-payload-unevenly",
        chunks(1024, slice(connInit, 0, 1), slice(connInit, 1, 4), slice(connInit, 4, 9), slice(connInit, 9, connInit.length)));
    write(dir, "seed-three-frames-one-empty-in-one-chunk",
        chunks(64, cat(frame("a"), frame(""), frame("bc"), new byte[] {0, 0})));
    write(dir, "seed-empty-chunks-between-bytes", chunks(64, frame("x"), new byte[0], frame("yz"), new byte[0]));
    write(dir, "seed-too-large-after-a-frame-in-the-same-chunk",
        chunks(16, cat(frame("hello"), new byte[] {0, 0, 0, 17}, ascii("never read"))));
    write(dir, "seed-too-large-length-split-across-chunks",
        chunks(16, new byte[] {0, 0}, new byte[] {1, 0}, ascii("after the length")));
    write(dir, "seed-exactly-the-limit-then-one-over", chunks(8, cat(frame("12345678"), new byte[] {0, 0, 0, 9})));
    write(dir, "seed-limit-zero-empty-frames", chunks(0, cat(frame(""), frame(""), frame(""), new byte[] {0, 0, 0, 1})));
    write(dir, "seed-length-ffffffff", chunks(1024, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2}));
  }

  private static byte[] chunks(int maxFrameBytes, byte[]... chunks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(maxFrameBytes >> 8);
    out.write(maxFrameBytes);
    for (byte[] chunk : chunks) {
      if (chunk.length > 255) {
        throw new IllegalArgumentException("a chunk is at most 255 bytes");
      }
      out.write(chunk.length);
      out.writeBytes(chunk);
    }
    return out.toByteArray();
  }

  private static byte[] frame(String payload) {
    return FrameDecoder.encode(ascii(payload)).getBytes();
  }

  private static byte[][] split(byte[] bytes, int size) {
    byte[][] parts = new byte[(bytes.length + size - 1) / size][];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = slice(bytes, i * size, Math.min(bytes.length, (i + 1) * size));
    }
    return parts;
  }

  // --- ConnInitFuzzTest, ConnEncryptCFuzzTest: frame bytes ---

  private static void connInit(Path dir) throws IOException {
    String nonce = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
    String uuid = "6f1c2e9a-3b4d-4e5f-8a6b-7c8d9e0f1a2b";
    write(dir, "seed-fixed-client.json", Handshakes.connInit());
    write(dir, "seed-protocol-vector-6.3.json",
        "{\"type\":\"CONN_INIT\",\"data\":{\"uuid\":\"" + uuid + "\",\"token\":null,\"nonce\":\"" + nonce + "\"}}");
    write(dir, "seed-uppercase-uuid-no-token-id-member.json",
        "{\"id\":\"7\",\"type\":\"CONN_INIT\",\"data\":{\"nonce\":\"" + nonce + "\",\"uuid\":\"" + uuid.toUpperCase() + "\"}}");
    write(dir, "seed-whitespace-and-escapes.json",
        "{ \"type\" : \"CONN\\u005fINIT\" ,\n \"data\" : { \"uuid\" : \"" + uuid + "\" , \"nonce\" : \"" + nonce + "\" , \"extra\" : [1, {}] } }");
    write(dir, "seed-token-present.json",
        "{\"type\":\"CONN_INIT\",\"data\":{\"uuid\":\"" + uuid + "\",\"token\":\"eyJhbGciOi.secret\",\"nonce\":\"" + nonce + "\"}}");
    write(dir, "seed-nonce-31-bytes.json",
        "{\"type\":\"CONN_INIT\",\"data\":{\"uuid\":\"" + uuid + "\",\"nonce\":\"" + Base64.getEncoder().encodeToString(new byte[31]) + "\"}}");
    write(dir, "seed-nonce-not-base64.json",
        "{\"type\":\"CONN_INIT\",\"data\":{\"uuid\":\"" + uuid + "\",\"nonce\":\"not base64!\"}}");
    write(dir, "seed-short-uuid.json", "{\"type\":\"CONN_INIT\",\"data\":{\"uuid\":\"1-1-1-1-1\",\"nonce\":\"" + nonce + "\"}}");
    write(dir, "seed-duplicate-key.json",
        "{\"type\":\"CONN_INIT\",\"data\":{\"uuid\":\"" + uuid + "\",\"uuid\":\"" + uuid + "\",\"nonce\":\"" + nonce + "\"}}");
    write(dir, "seed-status-instead.json", "{\"type\":\"STATUS\",\"data\":{\"sig\":\"HANDSHAKE_FAILED\",\"desc\":\"x\"}}");
    write(dir, "seed-data-not-object.json", "{\"type\":\"CONN_INIT\",\"data\":[\"" + uuid + "\"]}");
    write(dir, "seed-nested-too-deep.json", "{\"type\":\"CONN_INIT\",\"data\":" + "[".repeat(20) + "]".repeat(20) + "}");
  }

  private static void connEncryptC(Path dir) throws IOException {
    String valid = new String(Handshakes.connEncryptC(), StandardCharsets.UTF_8);
    write(dir, "seed-fixed-client.json", valid);
    write(dir, "seed-crlf-and-no-final-newline.json", valid.replace("\\n", "\\r\\n").replace("\\r\\n\"}}", "\"}}"));
    write(dir, "seed-ed25519-key-instead.json", encryptC(pem("MCowBQYDK2VwAyEAiC0Oo7KGTnpYfz5pjOpEWZmDEuZV4F+l6LURnYuqyM0=")));
    write(dir, "seed-low-order-point.json",
        encryptC(pem(Base64.getEncoder().encodeToString(cat(hex("302a300506032b656e032100"), new byte[32])))));
    write(dir, "seed-key-31-bytes.json",
        encryptC(pem(Base64.getEncoder().encodeToString(cat(hex("302a300506032b656e032100"), new byte[31])))));
    write(dir, "seed-two-pem-blocks.json", encryptC(X25519_PEM + X25519_PEM));
    write(dir, "seed-key-not-a-string.json", "{\"type\":\"CONN_ENCRYPT_C\",\"data\":{\"client_epbkey\":44}}");
    write(dir, "seed-conn-init-instead.json", Handshakes.connInit());
  }

  private static String pem(String base64) {
    return "-----BEGIN PUBLIC KEY-----\\n" + base64 + "\\n-----END PUBLIC KEY-----\\n";
  }

  private static String encryptC(String pemJson) {
    return "{\"type\":\"CONN_ENCRYPT_C\",\"data\":{\"client_epbkey\":\"" + pemJson + "\"}}";
  }

  // --- PacketFuzzTest: record plaintext ---

  private static void packets(Path dir) throws IOException {
    write(dir, "seed-login.json", LOGIN);
    write(dir, "seed-signup.json", "{\"type\":\"SIGNUP\",\"id\":\"2\",\"data\":{\"user\":\"Ada.L\",\"email\":\"ada@example.org\","
        + "\"fullname\":\" Ada Lovelace \",\"dob\":\"1990-05-17\",\"password\":\"correct horse battery\"}}");
    write(dir, "seed-s-captcha.json", "{\"type\":\"S_CAPTCHA\",\"data\":{\"solved\":\"3f9k\"}}");
    write(dir, "seed-auth-token.json", "{\"type\":\"AUTH_TOKEN\",\"data\":{\"user\":\"ada.l\",\"token\":\"eyJhbGciOiJFZERTQSJ9.e30.c2ln\"}}");
    write(dir, "seed-chat-encrypt-c.json", "{\"type\":\"CHAT_ENCRYPT_C\",\"data\":{\"chat_pubkey\":\"" + X25519_PEM + "\"}}");
    write(dir, "seed-logout.json", "{\"type\":\"LOGOUT\",\"id\":\"3\"}");
    write(dir, "seed-create-room-direct.json", "{\"type\":\"CREATE_ROOM\",\"data\":{\"room-type\":0,\"people\":[\"grace\"]}}");
    write(dir, "seed-create-room-group.json",
        "{\"type\":\"CREATE_ROOM\",\"data\":{\"room-type\":1,\"room-name\":\"Book club\",\"people\":[\"bob\",\"Carol\"]}}");
    write(dir, "seed-alter-room-add.json",
        "{\"type\":\"ALTER_ROOM\",\"data\":{\"action\":\"add\",\"actiondata\":{\"room\":\"" + ROOM + "\",\"people\":[\"dave\"]}}}");
    write(dir, "seed-alter-room-rename.json",
        "{\"type\":\"ALTER_ROOM\",\"data\":{\"action\":\"rename\",\"actiondata\":{\"room\":\"" + ROOM + "\",\"name\":\"Engines\"}}}");
    write(dir, "seed-room-list.json", "{\"type\":\"ROOM_LIST\",\"id\":\"4\",\"data\":{}}");
    write(dir, "seed-room-info.json", "{\"type\":\"ROOM_INFO\",\"data\":{\"room\":\"" + ROOM + "\"}}");
    write(dir, "seed-chat-action-send.json", "{\"type\":\"CHAT_ACTION\",\"data\":{\"room\":\"" + ROOM
        + "\",\"action\":\"send\",\"actiondata\":{\"format\":\"msg-text\",\"content\":\"aGVsbG8=\"}}}");
    write(dir, "seed-chat-action-edit.json", "{\"type\":\"CHAT_ACTION\",\"data\":{\"room\":\"" + ROOM
        + "\",\"action\":\"edit\",\"actiondata\":{\"msg\":\"" + MSG + "\",\"content\":\"aGk\"}}}");
    write(dir, "seed-chat-action-delete.json", "{\"type\":\"CHAT_ACTION\",\"data\":{\"room\":\"" + ROOM
        + "\",\"action\":\"delete\",\"actiondata\":{\"msg\":\"" + MSG + "\",\"reason\":\"c3BhbQ==\"}}}");
    write(dir, "seed-chat-action-save-pubkey.json", "{\"type\":\"CHAT_ACTION\",\"data\":{\"room\":\"" + ROOM
        + "\",\"action\":\"save-pubkey\",\"actiondata\":\"" + X25519_PEM + "\"}}");
    write(dir, "seed-sync-room-req.json", "{\"type\":\"SYNC_ROOM_REQ\",\"data\":{\"room\":\"" + ROOM
        + "\",\"count\":50,\"from\":\"" + MSG + "\",\"direction\":\"before\"}}");
    write(dir, "seed-read-receipt.json", "{\"type\":\"READ_RECEIPT\",\"data\":{\"room\":\"" + ROOM + "\",\"msg\":\"" + MSG + "\"}}");
    // Nearly valid: each breaks one rule of §7-§8.
    write(dir, "seed-unknown-action-long-word.json", "{\"type\":\"CHAT_ACTION\",\"data\":{\"room\":\"" + ROOM
        + "\",\"action\":\"sendsendsendsendsendsendsendsendsend\\u0007\",\"actiondata\":{}}}");
    write(dir, "seed-count-out-of-range.json", "{\"type\":\"SYNC_ROOM_REQ\",\"data\":{\"room\":\"" + ROOM + "\",\"count\":9999}}");
    write(dir, "seed-count-fraction.json", "{\"type\":\"SYNC_ROOM_REQ\",\"data\":{\"room\":\"" + ROOM + "\",\"count\":2.0}}");
    write(dir, "seed-people-twice-after-folding.json",
        "{\"type\":\"CREATE_ROOM\",\"data\":{\"room-type\":1,\"room-name\":\"x\",\"people\":[\"bob\",\"BOB\"]}}");
    write(dir, "seed-username-kelvin-sign.json", "{\"type\":\"AUTH_TOKEN\",\"data\":{\"user\":\"\u212Aelvin\",\"token\":\"t\"}}");
    write(dir, "seed-dob-february-30.json", "{\"type\":\"SIGNUP\",\"data\":{\"user\":\"ada\",\"email\":\"a@b.c\","
        + "\"fullname\":\"A\",\"dob\":\"1990-02-30\",\"password\":\"correct horse\"}}");
    write(dir, "seed-password-equals-user.json", "{\"type\":\"SIGNUP\",\"data\":{\"user\":\"adalovelace\",\"email\":\"a@b.c\","
        + "\"fullname\":\"A\",\"dob\":\"1990-02-03\",\"password\":\"AdaLovelace\"}}");
    write(dir, "seed-id-65-characters.json", "{\"type\":\"ROOM_LIST\",\"id\":\"" + "i".repeat(65) + "\"}");
    write(dir, "seed-data-not-object.json", "{\"type\":\"ROOM_LIST\",\"data\":[]}");
    write(dir, "seed-unknown-type.json", "{\"type\":\"ROOM_LISTS\",\"data\":{}}");
    write(dir, "seed-duplicate-key.json", "{\"type\":\"LOGIN\",\"data\":{\"id\":\"a\",\"password\":\"b\",\"password\":\"c\"}}");
    write(dir, "seed-nested-17-levels.json", "{\"type\":\"ROOM_LIST\",\"data\":{\"x\":" + "[".repeat(16) + "]".repeat(16) + "}}");
    write(dir, "seed-trailing-bytes.json", "{\"type\":\"ROOM_LIST\"} {}");
  }

  // --- RecordFuzzTest: u8 limit selector, then operations (see RecordFuzzTest.Op) ---

  private static void records(Path dir) throws IOException {
    byte[] login = ascii(LOGIN);
    byte[] roomList = ascii("{\"type\":\"ROOM_LIST\",\"id\":\"2\",\"data\":{}}");
    write(dir, "seed-send-two-packets", ops(0, op(RecordFuzzTest.Op.SEND, login), op(RecordFuzzTest.Op.SEND, roomList)));
    write(dir, "seed-replay-then-a-valid-record",
        ops(0, op(RecordFuzzTest.Op.SEND, login), deliver(0), op(RecordFuzzTest.Op.SEND, roomList)));
    write(dir, "seed-out-of-order",
        ops(0, op(RecordFuzzTest.Op.SEAL_ONLY, login), op(RecordFuzzTest.Op.SEAL_ONLY, roomList), deliver(1), deliver(0)));
    write(dir, "seed-skipped-record", ops(0, op(RecordFuzzTest.Op.SEAL_ONLY, login), op(RecordFuzzTest.Op.SEND, roomList)));
    write(dir, "seed-tamper-flip-a-tag-bit", ops(0, op(RecordFuzzTest.Op.SEAL_ONLY, login), tamper(0, 0, login.length + 15, new byte[] {1})));
    write(dir, "seed-tamper-cut-below-the-tag", ops(0, op(RecordFuzzTest.Op.SEAL_ONLY, roomList), tamper(0, 1, 15, new byte[0])));
    write(dir, "seed-tamper-append", ops(0, op(RecordFuzzTest.Op.SEAL_ONLY, roomList), tamper(0, 2, 0, new byte[] {0})));
    write(dir, "seed-reflect-a-server-record", ops(0, op(RecordFuzzTest.Op.REFLECT, ascii("{\"type\":\"STATUS\",\"data\":{\"sig\":\"CONN_OK\"}}"))));
    write(dir, "seed-empty-plaintext-and-empty-record", ops(0, op(RecordFuzzTest.Op.SEND, new byte[0]), op(RecordFuzzTest.Op.RAW, new byte[0])));
    write(dir, "seed-limit-two-records", ops(2, op(RecordFuzzTest.Op.SEND, login), op(RecordFuzzTest.Op.SEND, roomList),
        op(RecordFuzzTest.Op.SEND, roomList), op(RecordFuzzTest.Op.RAW, sealedRecord(2, roomList))));
    write(dir, "seed-raw-real-sealed-record", ops(0, op(RecordFuzzTest.Op.RAW, sealedRecord(0, login))));
  }

  private static byte[] ops(int limitSelector, byte[]... ops) {
    return cat(new byte[] {(byte) limitSelector}, cat(ops));
  }

  private static byte[] op(RecordFuzzTest.Op op, byte[] bytes) {
    if (bytes.length > 255) {
      throw new IllegalArgumentException("operands are at most 255 bytes");
    }
    return cat(new byte[] {(byte) op.ordinal(), (byte) bytes.length}, bytes);
  }

  private static byte[] deliver(int n) {
    return new byte[] {(byte) RecordFuzzTest.Op.DELIVER.ordinal(), (byte) n};
  }

  private static byte[] tamper(int n, int kind, int position, byte[] bytes) {
    return cat(new byte[] {(byte) RecordFuzzTest.Op.TAMPER.ordinal(), (byte) n, (byte) kind, (byte) position, (byte) bytes.length}, bytes);
  }

  /** What the fixed client seals for this plaintext as its record number {@code seq}. */
  private static byte[] sealedRecord(int seq, byte[] plaintext) {
    SecureChannel client = Handshakes.connect(SecureChannel.DEFAULT_MAX_RECORDS).client();
    try {
      for (int i = 0; i < seq; i++) {
        client.seal(new byte[0]);
      }
      return client.seal(plaintext);
    } catch (ChannelExhaustedException e) {
      throw new IllegalStateException(e);
    }
  }

  // --- bytes ---

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] hex(String s) {
    return java.util.HexFormat.of().parseHex(s);
  }

  private static byte[] slice(byte[] bytes, int from, int to) {
    return java.util.Arrays.copyOfRange(bytes, from, to);
  }

  private static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static void write(Path dir, String name, String content) throws IOException {
    write(dir, name, ascii(content));
  }

  private static void write(Path dir, String name, byte[] content) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), content);
  }
}
