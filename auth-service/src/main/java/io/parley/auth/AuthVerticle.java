package io.parley.auth;

import io.parley.auth.admin.AccountAdmin;
import io.parley.auth.admin.AccountAdminStore;
import io.parley.auth.captcha.Captchas;
import io.parley.auth.captcha.PendingCaptchas;
import io.parley.auth.directory.UserDirectory;
import io.parley.auth.limits.WindowCounter;
import io.parley.auth.link.LinkHandlers;
import io.parley.auth.link.LinkStore;
import io.parley.auth.password.Argon2Parameters;
import io.parley.auth.password.PasswordHasher;
import io.parley.auth.password.PasswordPool;
import io.parley.auth.session.ChatKeyHandler;
import io.parley.auth.session.DeleteAccountHandler;
import io.parley.auth.session.DevicesHandler;
import io.parley.auth.session.LoginContexts;
import io.parley.auth.session.LoginHandler;
import io.parley.auth.session.LoginThrottle;
import io.parley.auth.session.LogoutHandler;
import io.parley.auth.session.RevocationCache;
import io.parley.auth.session.RevokeDeviceHandler;
import io.parley.auth.session.SessionRevoker;
import io.parley.auth.signup.CaptchaAnswerHandler;
import io.parley.auth.signup.SignupHandler;
import io.parley.auth.store.AccountStore;
import io.parley.auth.store.DeviceBindings;
import io.parley.auth.store.DeviceStore;
import io.parley.auth.store.TokenStore;
import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BusClient;
import io.parley.shared.bus.BusTimeouts;
import io.parley.shared.bus.InternalHandler;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.ServiceResources;
import io.parley.shared.protocol.Limits;
import io.parley.shared.service.ServiceVerticle;
import io.parley.shared.token.Revocations;
import io.parley.shared.token.TokenIssuer;
import io.parley.shared.token.TokenKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The auth service: owns the `auth` schema (users, devices, device bindings, tokens) and the SIGNUP,
 * S_CAPTCHA, LOGIN, CHAT_ENCRYPT_C, LOGOUT, DEVICES, REVOKE_DEVICE, DELETE_ACCOUNT and LINK_* requests. AUTH_TOKEN is verified by the gateways themselves with
 * the public half of the token key; this service keeps the revocation cache they consult filled.
 */
public final class AuthVerticle extends ServiceVerticle {
  private static final Logger log = LoggerFactory.getLogger(AuthVerticle.class);

  public static final String SCHEMA = "auth";

  private final TokenKeys tokenKeys;
  private final AuthSettings settings;
  private PasswordPool passwords;
  private RevocationCache revocationCache;

  public AuthVerticle(ParleyConfig config, TokenKeys tokenKeys) {
    super(config);
    this.tokenKeys = tokenKeys;
    this.settings = AuthSettings.from(config);
  }

  @Override
  protected String schema() {
    return SCHEMA;
  }

  /**
   * Refills the Redis revocation cache from PostgreSQL and marks it complete, so a Redis restart
   * cannot revive a revoked token (gateways treat an unmarked cache as unknown, not as "live").
   */
  @Override
  protected Future<Void> prepare(ServiceResources resources) {
    revocationCache = new RevocationCache(
        new TokenStore(resources.pool()), new Revocations(resources.redisApi(), Clock.systemUTC()), System::currentTimeMillis);
    return revocationCache.refill();
  }

  @Override
  protected Map<String, RequestHandler> handlers(ServiceResources resources) {
    SecureRandom random = new SecureRandom();
    Clock clock = Clock.systemUTC();
    RedisAPI redis = resources.redisApi();
    AccountStore accounts = new AccountStore(resources.pool());
    DeviceStore devices = new DeviceStore(resources.pool());
    TokenStore tokens = new TokenStore(resources.pool());
    passwords =
        new PasswordPool(
            vertx, new PasswordHasher(Argon2Parameters.DEFAULT, random), settings.passwordThreads(), settings.passwordQueueMax());
    Captchas captchas = new Captchas(settings.captchaKind(), settings.powDifficultyBits(), random);
    PendingCaptchas pendingCaptchas = new PendingCaptchas(redis, AuthSettings.CAPTCHA_TTL);
    LoginContexts contexts = new LoginContexts(redis, AuthSettings.LOGIN_CONTEXT_TTL);
    LoginThrottle throttle =
        new LoginThrottle(
            new WindowCounter(redis, settings.loginFailureWindow()),
            redis,
            settings.loginFailuresPerAccount(),
            settings.loginFailuresPerAddress(),
            AuthSettings.KNOWN_LOGIN_ADDRESS_TTL,
            AuthSettings.CAPTCHA_TTL);

    Map<String, RequestHandler> handlers = new LinkedHashMap<>();
    handlers.put(
        Addresses.AUTH_SIGNUP,
        new SignupHandler(
            accounts, passwords, captchas, pendingCaptchas, new WindowCounter(redis, AuthSettings.SIGNUP_WINDOW), settings.signupsPerAddress()));
    handlers.put(Addresses.AUTH_CAPTCHA_ANSWER, new CaptchaAnswerHandler(accounts, captchas, pendingCaptchas, throttle, settings.captchaMaxWrong()));
    DeviceBindings bindings = new DeviceBindings(resources.pool());
    handlers.put(Addresses.AUTH_LOGIN, new LoginHandler(accounts, passwords, throttle, contexts, captchas, pendingCaptchas, bindings));
    handlers.put(Addresses.AUTH_CHAT_KEY, new ChatKeyHandler(devices, tokens, new TokenIssuer(vertx, tokenKeys, clock), contexts));
    handlers.put(Addresses.AUTH_LOGOUT, new LogoutHandler(tokens, revocationCache, contexts, vertx.eventBus()));
    handlers.put(Addresses.AUTH_DEVICES, new DevicesHandler(bindings));
    handlers.put(Addresses.AUTH_REVOKE_DEVICE, new RevokeDeviceHandler(bindings, new SessionRevoker(tokens, revocationCache, vertx.eventBus())));
    handlers.put(Addresses.AUTH_DELETE_ACCOUNT, new DeleteAccountHandler(
        accounts, passwords, tokens, revocationCache, contexts, vertx.eventBus(), new BusClient(vertx, BusTimeouts.from(config))));
    LinkHandlers links = new LinkHandlers(
        new LinkStore(resources.pool(), Duration.ofSeconds(Limits.LINK_REQUEST_TTL_SECONDS), Limits.LINK_BLOBS_PER_REQUEST));
    handlers.put(Addresses.AUTH_LINK_REQUEST, links::request);
    handlers.put(Addresses.AUTH_LINK_PENDING, links::pending);
    handlers.put(Addresses.AUTH_LINK_BLOB, links::blob);
    handlers.put(Addresses.AUTH_LINK_FETCH, links::fetch);
    return handlers;
  }

  @Override
  protected Map<String, InternalHandler> internalHandlers(ServiceResources resources) {
    UserDirectory directory = new UserDirectory(resources.pool());
    TokenStore tokens = new TokenStore(resources.pool());
    Map<String, InternalHandler> handlers = new LinkedHashMap<>(Map.of(
        Addresses.AUTH_USERS_EXIST, directory::usersExist,
        Addresses.AUTH_DEVICE_KEYS, directory::deviceKeys,
        Addresses.AUTH_TOKEN_REVOKED, request -> tokenRevoked(tokens, request)));
    handlers.putAll(new AccountAdmin(
        new AccountAdminStore(resources.pool()), new DeviceBindings(resources.pool()), new SessionRevoker(tokens, revocationCache, vertx.eventBus()))
        .handlers());
    return handlers;
  }

  /**
   * A gateway could not trust the Redis cache for one token: answer from PostgreSQL, and refill the
   * cache so the gateways stop asking.
   */
  private Future<JsonObject> tokenRevoked(TokenStore tokens, JsonObject request) {
    revocationCache.refillSoon();
    UUID tokenId;
    try {
      tokenId = UUID.fromString(request.getString("token", ""));
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(new JsonObject().put("revoked", true));
    }
    return tokens.isRevoked(tokenId).map(revoked -> new JsonObject().put("revoked", revoked));
  }

  @Override
  public Future<?> stop() {
    // Drain first (a login in flight still needs the hashing pool), then close the pool.
    return super.stop().compose(stopped -> passwords == null ? Future.succeededFuture() : passwords.close());
  }
}
