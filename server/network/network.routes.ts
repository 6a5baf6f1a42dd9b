import { Router } from 'express';
import { authorize } from '../auth/policy';
import type { NetworkService } from './network.service';

/** `GET /api/sites/:siteId/network`: the other sites of the site's network, for anyone who may see the site. */
export function networkRoutes(network: NetworkService): Router {
  const r = Router();
  r.get('/sites/:siteId/network', async (req, res) => {
    const siteId = String(req.params.siteId);
    authorize(req.principal, 'site:read', siteId);
    res.json(await network.summary(siteId));
  });
  return r;
}
