import { Router, type Request } from 'express';
import { HistoryQuery, ReportQuery } from '../../shared/history';
import { authorize } from '../auth/policy';
import { parseOr400 } from '../http/validate';
import { sendCsv } from '../http/csv';
import type { HistoryService } from './history.service';

/** `GET …/history` and `GET …/report.csv`: managers and up, of their sites. */
export function historyRoutes(history: HistoryService): Router {
  const r = Router();
  const siteOf = (req: Request) => String(req.params.siteId);

  r.get('/sites/:siteId/history', async (req, res) => {
    authorize(req.principal, 'history:read', siteOf(req));
    const q = parseOr400(HistoryQuery, req.query, 'query');
    res.json(await history.history(siteOf(req), q));
  });

  r.get('/sites/:siteId/report.csv', async (req, res) => {
    const siteId = siteOf(req);
    authorize(req.principal, 'history:read', siteId);
    const q = parseOr400(ReportQuery, req.query, 'query');
    sendCsv(res, `roomwatch-${siteId}-${q.from}-${q.to}.csv`, await history.reportCsv(siteId, q));
  });

  return r;
}
