package io.parley.bench;

import io.vertx.core.Vertx;

/** What every scenario runs with: the bench's Vert.x and loops, the server, its probe, the report. */
record Env(Vertx vertx, Loops loops, Target target, ServerProbe probe, Report report, Population population, EventsCounter counter) {}
