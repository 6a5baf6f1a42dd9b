import { Router, type Request } from 'express';
import type { ZodType } from 'zod';
import { CheckInBody, EmptyBody, type CheckInBody as CheckIn, type OutOfServiceBody as OutOfService, IncidentBody, OutOfServiceBody, QueueBody, StaffingBody, UndoBody } from '../../shared/api';
import { BOOTH_COMMANDS, type BoothCommand } from '../../shared/boothMachine';
import { authorize } from '../auth/policy';
import { idempotencyKeyOf, parseOr400 } from '../http/validate';
import type { CommandRequest, FloorService } from './floor.service';

const BODY_OF: Record<BoothCommand, ZodType<CheckIn | OutOfService | Record<string, never>>> = {
  'check-in': CheckInBody,
  'check-out': EmptyBody,
  cleaned: EmptyBody,
  'out-of-service': OutOfServiceBody,
  'back-in-service': EmptyBody,
};

/** Parse, authorise, call: the floor's HTTP surface. */
export function floorRoutes(floor: FloorService): Router {
  const r = Router();
  const siteParam = (req: Request) => String(req.params.siteId);

  const write = (req: Request): CommandRequest => {
    const siteId = siteParam(req);
    const principal = authorize(req.principal, 'floor:write', siteId);
    floor.site(siteId); // 404 before looking at the body
    return { principal, siteId, idempotencyKey: idempotencyKeyOf(req.headers['idempotency-key']) };
  };

  r.get('/sites/:siteId/snapshot', async (req, res) => {
    authorize(req.principal, 'site:read', siteParam(req));
    res.json(await floor.snapshot(siteParam(req)));
  });

  for (const command of BOOTH_COMMANDS) {
    r.post(`/sites/:siteId/booths/:boothId/${command}`, async (req, res) => {
      const cmd = write(req);
      const body = parseOr400(BODY_OF[command], req.body);
      res.json(await floor.boothCommand(cmd, String(req.params.boothId), command, body));
    });
  }

  r.post('/sites/:siteId/queue', async (req, res) => {
    const cmd = write(req);
    res.json(await floor.queue(cmd, parseOr400(QueueBody, req.body)));
  });

  r.put('/sites/:siteId/staffing', async (req, res) => {
    const cmd = write(req);
    res.json(await floor.staffing(cmd, parseOr400(StaffingBody, req.body).onShift));
  });

  r.post('/sites/:siteId/incidents', async (req, res) => {
    const cmd = write(req);
    res.status(201).json(await floor.incident(cmd, parseOr400(IncidentBody, req.body)));
  });

  r.post('/sites/:siteId/registrations', async (req, res) => {
    const cmd = write(req);
    parseOr400(EmptyBody, req.body);
    res.status(201).json(await floor.registration(cmd));
  });

  r.post('/sites/:siteId/undo', async (req, res) => {
    const cmd = write(req);
    res.json(await floor.undo(cmd, parseOr400(UndoBody, req.body).seq));
  });

  return r;
}
