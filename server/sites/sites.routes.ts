import { Router } from 'express';
import { authorize, canSeeSite } from '../auth/policy';
import type { SiteClocks } from './siteClocks';
import type { SiteRegistry } from './sites.registry';

export function sitesRoutes(sites: SiteRegistry, clocks?: SiteClocks): Router {
  const r = Router();
  r.get('/sites', (req, res) => {
    const p = authorize(req.principal, 'site:read');
    res.json(
      sites
        .all()
        .filter((s) => canSeeSite(p, s.info.id))
        .map((s) => {
          const simulatedClock = clocks?.simulated(s.info.id);
          return simulatedClock ? { ...s.info, simulatedClock } : s.info;
        }),
    );
  });
  return r;
}
