import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's headers, worked out once. Helmet builds the Content-Security-Policy string and walks
 * its dozen middlewares for every response; our policy has no per-request part (no nonces, no
 * directive functions), and on the floor's hot path that walk was a measurable share of each
 * command (README, *Benchmarks*). So helmet runs once, at start-up, against a recorder, and every
 * response gets exactly the headers it set (and loses the ones it removed).
 */
export function securityHeaders(options: HelmetOptions): RequestHandler {
  const set: Array<[string, string]> = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: unknown) => void set.push([name, String(value)]),
    removeHeader: (name: string) => void removed.push(name),
  };
  let finished = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => (finished = true));
  // Helmet's middlewares are synchronous; if a future version were not, fail at start-up, not per request.
  if (!finished) throw new Error('helmet did not finish synchronously: its headers cannot be worked out once');
  return (_req, res, next) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}
