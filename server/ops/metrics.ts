import type { Request, RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of one instance. A registry per app (not the global one) so tests can run
 * several apps in one process.
 */
export function createMetrics() {
  const registry = new Registry();
  // process CPU/memory, GC, and event-loop lag (nodejs_eventloop_lag_*)
  collectDefaultMetrics({ register: registry, prefix: 'roomwatch_', eventLoopMonitoringPrecision: 20 });

  const httpDuration = new Histogram({
    name: 'roomwatch_http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const commands = new Counter({
    name: 'roomwatch_commands_total',
    help: 'Floor commands by type and outcome (ok, conflict, replayed, invalid, error)',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
  });
  const sockets = new Gauge({ name: 'roomwatch_connected_sockets', help: 'Socket.IO connections on this instance', registers: [registry] });
  const fanout = new Histogram({
    name: 'roomwatch_push_fanout_seconds',
    help: 'Time to hand one frame (site:changed or site:changes) to Socket.IO for the screens on this instance',
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05],
    registers: [registry],
  });
  const frameChanges = new Histogram({
    name: 'roomwatch_push_frame_changes',
    help: 'Changes per frame sent to screens (1 = site:changed; more = a busy site coalesced into site:changes)',
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [registry],
  });
  const redisErrors = new Counter({ name: 'roomwatch_redis_errors_total', help: 'Redis connection errors and failed commands', registers: [registry] });

  // Cheap per request (this runs on every floor command): a start time and one `finish` listener;
  // the route label is read when the reply is done.
  const httpMiddleware: RequestHandler = (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => {
      httpDuration.observe({ method: req.method, route: routePatternOf(req), status: String(res.statusCode) }, (performance.now() - started) / 1000);
    });
    next();
  };

  return { registry, commands, sockets, fanout, frameChanges, redisErrors, httpMiddleware, routeBase };
}

export type Metrics = ReturnType<typeof createMetrics>;

const PATTERN = Symbol('routePattern');
const BASE = Symbol('routeBase');
type WithPattern = Request & { [PATTERN]?: string; [BASE]?: string };

/**
 * Mounted first inside a router that is itself mounted under a path (`/api`): notes that path, so
 * the label can be built when the reply is done. By then Express has restored `req.baseUrl` to the
 * app's (''), and an error answered by the app-level handler would get a label without `/api`.
 * (Noting it here is a plain property write; an accessor on `req.route` made every request slower.)
 */
function routeBase(): RequestHandler {
  return (req, _res, next) => {
    (req as WithPattern)[BASE] = req.baseUrl;
    next();
  };
}

/** The matched route pattern, never the raw URL: ids must not explode label cardinality. */
export function routePatternOf(req: Request): string {
  const r = req as WithPattern;
  if (r[PATTERN] !== undefined) return r[PATTERN];
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${r[BASE] ?? ''}${path}` : 'unmatched';
}

/** For a reply made without routing (an Idempotency-Key replay): the pattern the first request matched. */
export function setRoutePattern(req: Request, pattern: string): void {
  (req as WithPattern)[PATTERN] = pattern;
}
