package io.parley.auth.session;

import io.parley.auth.store.DeviceStore;
import io.parley.auth.store.TokenStore;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.crypto.ChatKeys;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.parley.shared.protocol.packet.ChatEncryptC;
import io.parley.shared.token.SessionToken;
import io.parley.shared.token.TokenIssuer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * CHAT_ENCRYPT_C → GEN_TOKEN: registers this device's X25519 chat public key (its end-to-end
 * identity) and answers with a session token bound to the user and this device, valid 30 days when
 * the connection's LOGIN asked to be remembered (`save`), else 24 hours.
 */
public final class ChatKeyHandler implements RequestHandler {
  private final DeviceStore devices;
  private final TokenStore tokens;
  private final TokenIssuer issuer;
  private final LoginContexts contexts;

  public ChatKeyHandler(DeviceStore devices, TokenStore tokens, TokenIssuer issuer, LoginContexts contexts) {
    this.devices = devices;
    this.tokens = tokens;
    this.issuer = issuer;
    this.contexts = contexts;
  }

  @Override
  public Future<BusReply> handle(BusRequest request) {
    ChatEncryptC packet = request.packet(ChatEncryptC.class);
    String pem = ChatKeys.canonicalX25519(packet.chatPubkey(), "chat_pubkey");
    UUID device = UUID.fromString(request.device());
    String user = request.user();
    return devices
        .registerChatKey(user, device, pem)
        .compose(registered -> registered
            ? contexts.saveRequested(request.connection(), user)
            : Future.failedFuture(new StatusException(StatusCode.NOT_AUTHENTICATED, "the account no longer exists")))
        .compose(save -> {
          SessionToken token = issuer.issue(user, device, save);
          return tokens.recordIssued(token).compose(recorded -> recorded
              ? Future.succeededFuture(token)
              : Future.failedFuture(new StatusException(StatusCode.ACCOUNT_LOCKED, "this account was locked by an administrator; no token was issued")));
        })
        .map(token -> BusReply.of(Envelope.of(PacketType.GEN_TOKEN, new JsonObject().put("token", token.token()))));
  }

}
