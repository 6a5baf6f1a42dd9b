import type { RequestHandler, Router } from 'express';

/**
 * Hands a request to `router` only when its path is one of `prefixes` or lies under one (as
 * Express matches paths: without regard to case). A router whose routes do not match leaves by
 * `setImmediate` (Express's router), so a booth command waited one turn of the event loop for
 * each router mounted before the floor's; gated, it passes them at once. Measured: +1 to +5 %
 * commands a second in each of four alternating rounds of 32 clients in a closed loop (the
 * benchmark's sustained load), against the code before.
 * The gate shows the router's `stack`, so `listRoutes` still finds its routes.
 */
export function onlyUnder(prefixes: readonly string[], router: Router): RequestHandler & { stack: Router['stack'] } {
  // One test per request on the hot path, built once: a prefix, then the end or a slash.
  const escaped = prefixes.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const under = new RegExp(`^(?:${escaped.join('|')})(?:/|$)`, 'i');
  const gate: RequestHandler = (req, res, next) => (under.test(req.path) ? router(req, res, next) : next());
  return Object.assign(gate, { stack: router.stack });
}
