package io.parley.gateway;

/** Creates and registers the session for a new, admitted transport. */
@FunctionalInterface
interface SessionFactory {
  Session open(Transport transport, ConnectionLimits.Ticket ticket);
}
