import { Router, type Request } from 'express';
import { authorize } from '../auth/policy';
import { idempotencyKeyOf } from '../http/validate';
import type { SiteConfigService } from './siteConfig.service';

/** `GET` and `PUT /api/sites/:siteId/config`: managers and up, of their sites. */
export function siteConfigRoutes(configs: SiteConfigService): Router {
  const r = Router();
  const siteOf = (req: Request) => String(req.params.siteId);

  r.get('/sites/:siteId/config', (req, res) => {
    authorize(req.principal, 'settings:write', siteOf(req));
    res.json(configs.view(siteOf(req)));
  });

  r.put('/sites/:siteId/config', async (req, res) => {
    const p = authorize(req.principal, 'settings:write', siteOf(req));
    // A whole-config PUT is idempotent by itself: a repeat stores the same config again.
    idempotencyKeyOf(req.headers['idempotency-key']);
    res.json(await configs.update(p, req.ip ?? '', siteOf(req), req.body));
  });

  return r;
}
