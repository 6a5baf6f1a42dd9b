import { Router } from 'express';
import type { Health } from '../../shared/api';
import type { Store } from '../store/redis';

/** Readiness (`/api/health`, reports the store) and liveness (`/api/live`, the process only). */
export function healthRoutes(store: Store): Router {
  const r = Router();
  r.get('/health', (_req, res) => {
    const up = store.isUp();
    const body: Health = { status: up ? 'ok' : 'degraded', store: store.kind, redis: up ? 'up' : 'down' };
    if (store.kind === 'embedded') body.note = 'Embedded in-memory store: data lives only in this process and is lost when it stops.';
    res.status(up ? 200 : 503).json(body);
  });
  r.get('/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  return r;
}
