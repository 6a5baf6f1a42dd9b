import { Router } from 'express';
import { StaffingPlanQuery } from '../../shared/staffingPlan';
import { authorize } from '../auth/policy';
import { errors } from '../errors';
import { parseOr400 } from '../http/validate';
import type { SiteRegistry } from '../sites/sites.registry';
import type { StaffingService } from './staffing.service';

/** `GET /api/sites/:siteId/staffing-plan?hours=N` (viewers and up): parse, authorise, call. */
export function staffingRoutes(staffing: StaffingService, sites: SiteRegistry): Router {
  const r = Router();
  r.get('/sites/:siteId/staffing-plan', async (req, res) => {
    const siteId = String(req.params.siteId);
    authorize(req.principal, 'site:read', siteId);
    if (!sites.get(siteId)) throw errors.notFound('Site');
    const { hours } = parseOr400(StaffingPlanQuery, req.query, 'query');
    res.json(await staffing.plan(siteId, hours));
  });
  return r;
}
