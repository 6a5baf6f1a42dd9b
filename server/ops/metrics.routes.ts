import { timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { credentialsOf, type ResolvePrincipal } from '../auth/authenticate';
import { authorize } from '../auth/policy';
import type { Metrics } from './metrics';

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** `GET /metrics` for operators: `ROOMWATCH_METRICS_TOKEN` as a bearer token, or an admin. */
export function metricsRoute(metrics: Metrics, opts: { token: string | undefined; resolve: ResolvePrincipal }): Router {
  const r = Router();
  r.get('/metrics', async (req, res) => {
    const creds = credentialsOf(req.headers);
    if (!(opts.token && creds.bearer && sameSecret(creds.bearer, opts.token))) {
      authorize(await opts.resolve(creds), 'admin');
    }
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  return r;
}
