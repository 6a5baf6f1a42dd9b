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

  const httpMiddleware: RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer();
    rememberRoutePattern(req);
    res.on('finish', () => {
      end({ method: req.method, route: routePatternOf(req), status: String(res.statusCode) });
    });
    next();
  };

  return { registry, commands, sockets, fanout, frameChanges, redisErrors, httpMiddleware };
}

export type Metrics = ReturnType<typeof createMetrics>;

const PATTERN = Symbol('routePattern');
type WithPattern = Request & { [PATTERN]?: string };

/**
 * Records the full route pattern (`/api/sites/:siteId/…`) at the moment the router matches it.
 * Read at `finish` instead, an error answered by the app-level handler would see `req.baseUrl`
 * already restored to the app's ('') and get a second label without `/api`.
 */
function rememberRoutePattern(req: Request): void {
  let route: Request['route'];
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set(value: Request['route']) {
      route = value;
      if (value?.path) (req as WithPattern)[PATTERN] = `${req.baseUrl}${String(value.path)}`;
    },
  });
}

/** The matched route pattern, never the raw URL: ids must not explode label cardinality. */
export function routePatternOf(req: Request): string {
  return (req as WithPattern)[PATTERN] ?? 'unmatched';
}

/** For a reply made without routing (an Idempotency-Key replay): the pattern the first request matched. */
export function setRoutePattern(req: Request, pattern: string): void {
  (req as WithPattern)[PATTERN] = pattern;
}
