package io.parley.gateway.session;

import io.parley.gateway.limits.ConnectionLimits;

/** Creates and registers the session for a new, admitted transport. */
@FunctionalInterface
public interface SessionFactory {
  Session open(Transport transport, ConnectionLimits.Ticket ticket);
}
