import { Router } from 'express';
import { HistoryQuery, ReportQuery } from '../../shared/history';
import { authorizedSiteQuery } from '../http/validate';
import { sendCsv } from '../http/csv';
import type { HistoryService } from './history.service';

/** `GET …/history` and `GET …/report.csv`: managers and up, of their sites. */
export function historyRoutes(history: HistoryService): Router {
  const r = Router();

  r.get('/sites/:siteId/history', async (req, res) => {
    const { siteId, query } = authorizedSiteQuery(req, 'history:read', HistoryQuery);
    res.json(await history.history(siteId, query));
  });

  r.get('/sites/:siteId/report.csv', async (req, res) => {
    const { siteId, query } = authorizedSiteQuery(req, 'history:read', ReportQuery);
    sendCsv(res, `roomwatch-${siteId}-${query.from}-${query.to}.csv`, await history.reportCsv(siteId, query));
  });

  return r;
}
