package io.parley.auth.link;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Link requests and the blobs relayed for them (db/auth V4). A request belongs to one device of one
 * account and carries the chat key that device had registered when it asked; a blob can only be
 * stored for a live request of the sender's own account, and at most {@code maxBlobs} per request.
 * Expired requests, with their blobs, are deleted whenever a device asks to be linked.
 */
public final class LinkStore {
  /** A live request as another device of the account sees it. */
  public record Request(UUID device, String chatPublicKeyPem, String nonce, Instant expires) {}

  /** A relayed blob as its target fetches it. */
  public record Blob(UUID from, String blob) {}

  public enum Stored { SENT, NOT_REQUESTED, FULL }

  private final Pool pool;
  private final Duration ttl;
  private final int maxBlobs;

  public LinkStore(Pool pool, Duration ttl, int maxBlobs) {
    this.pool = pool;
    this.ttl = ttl;
    this.maxBlobs = maxBlobs;
  }

  /**
   * Records (or restarts) {@code device}'s request with the chat key it registered; an earlier
   * request of that device and its blobs are dropped. False when the device registered no chat key.
   */
  public Future<Boolean> request(String user, UUID device, String nonce) {
    OffsetDateTime expires = Instant.now().plus(ttl).atOffset(ZoneOffset.UTC);
    return pool.withTransaction(tx -> tx.query("DELETE FROM link_requests WHERE expires_at < now()").execute()
        .compose(purged -> tx.preparedQuery(
                "DELETE FROM link_requests WHERE device_id = $2 AND user_id = (SELECT id FROM users WHERE username = $1)")
            .execute(Tuple.of(user, device)))
        .compose(replaced -> tx.preparedQuery(
                "INSERT INTO link_requests (user_id, device_id, chat_pubkey, nonce, expires_at)"
                    + " SELECT d.user_id, d.device_id, d.chat_pubkey, $3, $4 FROM devices d JOIN users u ON u.id = d.user_id"
                    + " WHERE u.username = $1 AND d.device_id = $2 AND d.chat_pubkey IS NOT NULL")
            .execute(Tuple.of(user, device, nonce, expires)))
        .map(rows -> rows.rowCount() == 1));
  }

  /** The account's live requests, newest first. */
  public Future<List<Request>> pending(String user) {
    return pool.preparedQuery(
            "SELECT r.device_id, r.chat_pubkey, r.nonce, r.expires_at FROM link_requests r JOIN users u ON u.id = r.user_id"
                + " WHERE u.username = $1 AND r.expires_at > now() ORDER BY r.expires_at DESC")
        .execute(Tuple.of(user))
        .map(rows -> {
          List<Request> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new Request(row.getUUID("device_id"), row.getString("chat_pubkey"), row.getString("nonce"),
                row.getOffsetDateTime("expires_at").toInstant()));
          }
          return out;
        });
  }

  /**
   * Stores a blob from {@code from} for {@code target}'s live request in the same account. The
   * request row is locked while counting, so concurrent senders cannot exceed the bound together.
   */
  public Future<Stored> store(String user, UUID from, UUID target, String blob) {
    if (from.equals(target)) {
      return Future.succeededFuture(Stored.NOT_REQUESTED);
    }
    return pool.withTransaction(tx -> tx.preparedQuery(
            "SELECT r.user_id FROM link_requests r JOIN users u ON u.id = r.user_id"
                + " WHERE u.username = $1 AND r.device_id = $2 AND r.expires_at > now() FOR UPDATE OF r")
        .execute(Tuple.of(user, target))
        .compose(requests -> {
          if (!requests.iterator().hasNext()) {
            return Future.succeededFuture(Stored.NOT_REQUESTED);
          }
          UUID account = requests.iterator().next().getUUID("user_id");
          return tx.preparedQuery("SELECT count(*) AS n FROM link_blobs WHERE user_id = $1 AND target_device = $2")
              .execute(Tuple.of(account, target))
              .compose(count -> count.iterator().next().getLong("n") >= maxBlobs
                  ? Future.succeededFuture(Stored.FULL)
                  : tx.preparedQuery("INSERT INTO link_blobs (user_id, target_device, from_device, blob) VALUES ($1, $2, $3, $4)")
                      .execute(Tuple.of(account, target, from, blob))
                      .map(Stored.SENT));
        }));
  }

  /** The blobs relayed to {@code device}'s live request, oldest first. */
  public Future<List<Blob>> blobsFor(String user, UUID device) {
    return pool.preparedQuery(
            "SELECT b.from_device, b.blob FROM link_blobs b JOIN link_requests r"
                + " ON r.user_id = b.user_id AND r.device_id = b.target_device JOIN users u ON u.id = r.user_id"
                + " WHERE u.username = $1 AND r.device_id = $2 AND r.expires_at > now() ORDER BY b.id")
        .execute(Tuple.of(user, device))
        .map(rows -> {
          List<Blob> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new Blob(row.getUUID("from_device"), row.getString("blob")));
          }
          return out;
        });
  }
}
