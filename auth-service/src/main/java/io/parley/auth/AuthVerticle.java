package io.parley.auth;

import io.parley.auth.captcha.Captchas;
import io.parley.auth.captcha.PendingCaptchas;
import io.parley.auth.directory.UserDirectory;
import io.parley.auth.limits.WindowCounter;
import io.parley.auth.password.Argon2Parameters;
import io.parley.auth.password.PasswordHasher;
import io.parley.auth.password.PasswordPool;
import io.parley.auth.session.ChatKeyHandler;
import io.parley.auth.session.LoginContexts;
import io.parley.auth.session.LoginHandler;
import io.parley.auth.session.LoginThrottle;
import io.parley.auth.session.LogoutHandler;
import io.parley.auth.signup.CaptchaAnswerHandler;
import io.parley.auth.signup.SignupHandler;
import io.parley.auth.store.AccountStore;
import io.parley.auth.store.DeviceStore;
import io.parley.auth.store.TokenStore;
import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.InternalHandler;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.ServiceResources;
import io.parley.shared.service.ServiceVerticle;
import io.parley.shared.token.Revocations;
import io.parley.shared.token.TokenIssuer;
import io.parley.shared.token.TokenKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The auth service: owns the `auth` schema (users, devices, tokens) and the SIGNUP, S_CAPTCHA,
 * LOGIN, CHAT_ENCRYPT_C and LOGOUT requests. AUTH_TOKEN is verified by the gateways themselves with
 * the public half of the token key; this service keeps the revocation cache they consult filled.
 */
public final class AuthVerticle extends ServiceVerticle {
  private static final Logger log = LoggerFactory.getLogger(AuthVerticle.class);

  public static final String SCHEMA = "auth";

  private final TokenKeys tokenKeys;
  private final AuthSettings settings;
  private PasswordPool passwords;

  public AuthVerticle(ParleyConfig config, TokenKeys tokenKeys) {
    super(config);
    this.tokenKeys = tokenKeys;
    this.settings = AuthSettings.from(config);
  }

  @Override
  protected String schema() {
    return SCHEMA;
  }

  /** Refills the Redis revocation cache from PostgreSQL, so a Redis restart cannot revive a revoked token. */
  @Override
  protected Future<Void> prepare(ServiceResources resources) {
    Revocations revocations = new Revocations(resources.redisApi(), Clock.systemUTC());
    return new TokenStore(resources.pool()).liveRevocations().compose(revoked -> {
      List<Future<Void>> writes = new ArrayList<>();
      revoked.forEach(token -> writes.add(revocations.revoke(token.tokenId(), token.expiresAt())));
      log.info("revocation cache holds {} live revoked tokens", revoked.size());
      return Future.all(writes).mapEmpty();
    });
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
    handlers.put(Addresses.AUTH_LOGIN, new LoginHandler(accounts, passwords, throttle, contexts, captchas, pendingCaptchas));
    handlers.put(Addresses.AUTH_CHAT_KEY, new ChatKeyHandler(devices, tokens, new TokenIssuer(vertx, tokenKeys, clock), contexts));
    handlers.put(Addresses.AUTH_LOGOUT, new LogoutHandler(tokens, new Revocations(redis, clock), contexts));
    return handlers;
  }

  @Override
  protected Map<String, InternalHandler> internalHandlers(ServiceResources resources) {
    UserDirectory directory = new UserDirectory(resources.pool());
    return Map.of(
        Addresses.AUTH_USERS_EXIST, directory::usersExist,
        Addresses.AUTH_DEVICE_KEYS, directory::deviceKeys);
  }

  @Override
  public Future<?> stop() {
    // Drain first (a login in flight still needs the hashing pool), then close the pool.
    return super.stop().compose(stopped -> passwords == null ? Future.succeededFuture() : passwords.close());
  }
}
