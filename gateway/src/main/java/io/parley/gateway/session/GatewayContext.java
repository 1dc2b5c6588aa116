package io.parley.gateway.session;

import io.parley.gateway.GatewaySettings;
import io.parley.gateway.dispatch.Dispatcher;
import io.parley.gateway.limits.ConnectionLimits;
import io.parley.gateway.limits.Refusals;
import io.parley.gateway.limits.SharedBudgets;
import io.parley.shared.channel.ServerIdentity;
import io.parley.shared.presence.Presence;
import io.parley.shared.protocol.PacketCodec;
import io.vertx.core.Context;
import java.security.SecureRandom;
import java.util.function.LongSupplier;

/**
 * What every session of one gateway verticle instance shares. {@code registry} and
 * {@code partialFrames} belong to this instance's event loop; {@code limits}, {@code budgets},
 * {@code refusals}, {@code nodeSessions} and {@code metrics} are the whole process's.
 */
public record GatewayContext(
    String node,
    GatewaySettings settings,
    ServerIdentity identity,
    SecureRandom random,
    PacketCodec codec,
    Dispatcher dispatcher,
    TokenAuthenticator authenticator,
    Presence presence,
    SessionRegistry registry,
    PartialFrames partialFrames,
    ConnectionLimits limits,
    SharedBudgets budgets,
    Refusals refusals,
    NodeSessions nodeSessions,
    Context eventLoop,
    GatewayMetrics metrics,
    LongSupplier clock) {}
