import { Router, type Request } from 'express';
import { IncidentCloseBody, IncidentParams, IncidentsQuery } from '../../shared/incidents';
import { authorize } from '../auth/policy';
import { idempotencyKeyOf, parseOr400 } from '../http/validate';
import type { IncidentService } from './incident.service';

/**
 * `GET /api/sites/:siteId/incidents` (viewers) and `POST …/incidents/:incidentId/close` (staff).
 * Recording an incident is `POST …/incidents`, among the floor's commands.
 */
export function incidentRoutes(incidents: IncidentService): Router {
  const r = Router();
  const siteOf = (req: Request) => String(req.params.siteId);

  r.get('/sites/:siteId/incidents', async (req, res) => {
    authorize(req.principal, 'site:read', siteOf(req));
    incidents.site(siteOf(req));
    const q = parseOr400(IncidentsQuery, req.query, 'query');
    res.json({ siteId: siteOf(req), incidents: await incidents.list(siteOf(req), q) });
  });

  r.post('/sites/:siteId/incidents/:incidentId/close', async (req, res) => {
    const principal = authorize(req.principal, 'floor:write', siteOf(req));
    incidents.site(siteOf(req)); // 404 before looking at the body
    const idempotencyKey = idempotencyKeyOf(req.headers['idempotency-key']);
    const { incidentId } = parseOr400(IncidentParams, { incidentId: String(req.params.incidentId) }, 'path');
    const body = parseOr400(IncidentCloseBody, req.body);
    res.json(await incidents.close({ principal, siteId: siteOf(req), idempotencyKey }, incidentId, body));
  });

  return r;
}
