import { Router, type Request } from 'express';
import { zonedEpoch, zonedParts } from '../../shared/zonedTime';
import { CloseShiftBody, HandoversQuery, type HandoverList } from '../../shared/handovers';
import { addDays } from '../../shared/calendar';
import { authorize } from '../auth/policy';
import { errors } from '../errors';
import { parseOr400 } from '../http/validate';
import type { SiteRegistry } from '../sites/sites.registry';
import type { HandoverService } from './handover.service';

/** Handovers: close a shift (leads), read them (viewers, so the wall shows the banner), mark read (staff). */
export function handoverRoutes(handovers: HandoverService, sites: SiteRegistry, clock: (siteId: string) => number): Router {
  const r = Router();
  const siteOf = (req: Request) => String(req.params.siteId);

  r.post('/sites/:siteId/handovers', async (req, res) => {
    const siteId = siteOf(req);
    const p = authorize(req.principal, 'handover:close', siteId);
    const body = parseOr400(CloseShiftBody, req.body);
    res.status(201).json(await handovers.close(p, siteId, body.note));
  });

  r.get('/sites/:siteId/handovers', async (req, res) => {
    const siteId = siteOf(req);
    authorize(req.principal, 'site:read', siteId);
    const site = sites.get(siteId);
    if (!site) throw errors.notFound('Site');
    const q = parseOr400(HandoversQuery, req.query, 'query');
    // Dates are the site's calendar dates of the handovers' ends; the default is the last 14 days.
    const tz = site.config.timeZone;
    const today = zonedParts(clock(siteId), tz).date;
    const to = q.to ?? today;
    const from = q.from ?? addDays(to, -13);
    if (from > to) throw errors.invalid([{ path: 'to', message: 'must not be before from' }], 'Invalid query: to');
    // The day's first instant (a midnight skipped by DST: the moment after the gap).
    const startOf = (d: string) => zonedEpoch(d, 0, tz);
    const reply: HandoverList = { siteId, handovers: await handovers.list(siteId, startOf(from), startOf(addDays(to, 1)) - 1) };
    res.json(reply);
  });

  r.get('/sites/:siteId/handovers/:id', async (req, res) => {
    const siteId = siteOf(req);
    authorize(req.principal, 'site:read', siteId);
    res.json(await handovers.get(siteId, String(req.params.id)));
  });

  r.post('/sites/:siteId/handovers/:id/read', async (req, res) => {
    const siteId = siteOf(req);
    const p = authorize(req.principal, 'floor:write', siteId);
    parseOr400(CloseShiftBody.pick({}), req.body);
    res.json(await handovers.markRead(p, siteId, String(req.params.id)));
  });

  return r;
}
