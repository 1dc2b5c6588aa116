package io.parley.gateway;

/** Creates and registers the session for a new transport. */
@FunctionalInterface
interface SessionFactory {
  Session open(Transport transport);
}
