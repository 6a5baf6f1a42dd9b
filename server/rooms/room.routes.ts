import { Router, type Request } from 'express';
import { EmptyBody, RoomOpenBody } from '../../shared/api';
import { authorize } from '../auth/policy';
import { idempotencyKeyOf, parseOr400 } from '../http/validate';
import type { CommandRequest } from '../floor/floor.service';
import type { RoomService } from './room.service';

/** `POST /api/sites/:siteId/rooms/:roomId/open` and `…/close`: leads open a closed room early, and end it. */
export function roomRoutes(rooms: RoomService): Router {
  const r = Router();
  const command = (req: Request): CommandRequest => {
    const siteId = String(req.params.siteId);
    const principal = authorize(req.principal, 'room:open-early', siteId);
    rooms.room(siteId, String(req.params.roomId)); // 404 before looking at the body
    return { principal, siteId, idempotencyKey: idempotencyKeyOf(req.headers['idempotency-key']) };
  };

  r.post('/sites/:siteId/rooms/:roomId/open', async (req, res) => {
    const cmd = command(req);
    const body = parseOr400(RoomOpenBody, req.body);
    res.json(await rooms.openEarly(cmd, req.ip ?? '', String(req.params.roomId), body.until));
  });

  r.post('/sites/:siteId/rooms/:roomId/close', async (req, res) => {
    const cmd = command(req);
    parseOr400(EmptyBody, req.body);
    res.json(await rooms.endEarly(cmd, req.ip ?? '', String(req.params.roomId)));
  });

  return r;
}
