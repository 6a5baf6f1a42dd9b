import { Router } from 'express';
import { authorize, canSeeSite } from '../auth/policy';
import type { SiteRegistry } from './sites.registry';

export function sitesRoutes(sites: SiteRegistry): Router {
  const r = Router();
  r.get('/sites', (req, res) => {
    const p = authorize(req.principal, 'site:read');
    res.json(sites.all().filter((s) => canSeeSite(p, s.info.id)).map((s) => s.info));
  });
  return r;
}
