import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A request id for logs and the `X-Request-Id` header: the caller's if it is sane, else new. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._:-]{8,64}$/.test(given) ? given : randomUUID();
}
