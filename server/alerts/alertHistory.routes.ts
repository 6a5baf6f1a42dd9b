import { Router, type Request } from 'express';
import { AlertHistoryQuery } from '../../shared/alerts/history';
import { authorize } from '../auth/policy';
import { parseOr400 } from '../http/validate';
import { sendCsv } from '../http/csv';
import type { AlertHistoryService } from './alertHistory';

/** `GET …/alerts/history` (leads and up) and `GET …/alerts.csv` (managers and up), of their sites. */
export function alertHistoryRoutes(history: AlertHistoryService): Router {
  const r = Router();
  const siteOf = (req: Request) => String(req.params.siteId);

  r.get('/sites/:siteId/alerts/history', async (req, res) => {
    authorize(req.principal, 'alert:history', siteOf(req));
    const q = parseOr400(AlertHistoryQuery, req.query, 'query');
    res.json(await history.history(siteOf(req), q));
  });

  r.get('/sites/:siteId/alerts.csv', async (req, res) => {
    const siteId = siteOf(req);
    authorize(req.principal, 'history:read', siteId);
    const q = parseOr400(AlertHistoryQuery, req.query, 'query');
    sendCsv(res, `roomwatch-${siteId}-alerts-${q.from}-${q.to}.csv`, await history.csv(siteId, q));
  });

  return r;
}
