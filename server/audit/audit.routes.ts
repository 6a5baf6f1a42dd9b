import { Router } from 'express';
import { z } from 'zod';
import { authorize } from '../auth/policy';
import { parseOr400 } from '../http/validate';
import type { AuditRepository } from './audit.repository';

const Query = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) });

export function auditRoutes(audit: AuditRepository): Router {
  const r = Router();
  r.get('/audit', async (req, res) => {
    authorize(req.principal, 'admin');
    const { limit } = parseOr400(Query, req.query, 'query');
    res.json(await audit.list(limit));
  });
  return r;
}
