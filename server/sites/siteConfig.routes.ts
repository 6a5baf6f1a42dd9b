import { Router, type Request } from 'express';
import { z } from 'zod';
import { authorize } from '../auth/policy';
import { errors } from '../errors';
import type { SiteConfigService } from './siteConfig.service';

const VersionField = z.number().int().nonnegative();

/** A body's `version` field, taken off the config it came with. */
function splitVersion(raw: unknown): { body: unknown; version: number | undefined } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || !('version' in raw)) return { body: raw, version: undefined };
  const { version, ...body } = raw as Record<string, unknown>;
  const v = VersionField.safeParse(version);
  if (!v.success) throw errors.invalid([{ path: 'version', message: 'the version the edit was based on (a whole number)' }], 'Invalid body: version');
  return { body, version: v.data };
}

/** `If-Match: "7"` (or `W/"7"`, or `7`) → 7; absent → undefined; anything else → 400. */
function versionOfIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!m) throw errors.invalid([{ path: 'If-Match', message: 'the ETag of the config the edit was based on, e.g. "7"' }], 'Invalid header: If-Match');
  return Number(m[1]);
}

/** `GET` and `PUT /api/sites/:siteId/config`: managers and up, of their sites. */
export function siteConfigRoutes(configs: SiteConfigService): Router {
  const r = Router();
  const siteOf = (req: Request) => String(req.params.siteId);

  r.get('/sites/:siteId/config', async (req, res) => {
    authorize(req.principal, 'settings:write', siteOf(req));
    const view = await configs.view(siteOf(req));
    res.setHeader('ETag', `"${view.version}"`).json(view);
  });

  // The version the edit was based on comes as `If-Match` (the ETag of the GET) or a `version` field.
  r.put('/sites/:siteId/config', async (req, res) => {
    const p = authorize(req.principal, 'settings:write', siteOf(req));
    const { body, version } = splitVersion(req.body);
    const ifMatch = versionOfIfMatch(req.headers['if-match']);
    if (ifMatch !== undefined && version !== undefined && ifMatch !== version) {
      throw errors.invalid([{ path: 'version', message: 'differs from If-Match' }], 'Invalid body: version');
    }
    const saved = await configs.update(p, req.ip ?? '', siteOf(req), body, ifMatch ?? version);
    res.setHeader('ETag', `"${saved.version}"`).json(saved);
  });

  return r;
}
