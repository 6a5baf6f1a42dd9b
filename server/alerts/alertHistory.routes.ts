import { Router } from 'express';
import { AlertHistoryQuery } from '../../shared/alerts/history';
import { authorizedSiteQuery } from '../http/validate';
import { sendCsv } from '../http/csv';
import type { AlertHistoryService } from './alertHistory';

/** `GET …/alerts/history` (leads and up) and `GET …/alerts.csv` (managers and up), of their sites. */
export function alertHistoryRoutes(history: AlertHistoryService): Router {
  const r = Router();

  r.get('/sites/:siteId/alerts/history', async (req, res) => {
    const { siteId, query } = authorizedSiteQuery(req, 'alert:history', AlertHistoryQuery);
    res.json(await history.history(siteId, query));
  });

  r.get('/sites/:siteId/alerts.csv', async (req, res) => {
    const { siteId, query } = authorizedSiteQuery(req, 'history:read', AlertHistoryQuery);
    sendCsv(res, `roomwatch-${siteId}-alerts-${query.from}-${query.to}.csv`, await history.csv(siteId, query));
  });

  return r;
}
