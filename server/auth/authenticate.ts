import type { RequestHandler } from 'express';
import type { Principal } from './principal';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/**
 * The authentication seam. Until accounts and tokens exist every caller is the open-door
 * principal below; the security work replaces this resolver, and every route already asks
 * `authorize()` for its role and site, so nothing else has to change.
 */
export const OPEN_DOOR: Principal = { kind: 'anonymous', id: 'open-door', role: 'admin', sites: '*' };

export type ResolvePrincipal = (headers: Record<string, string | string[] | undefined>) => Promise<Principal | undefined>;

export const openDoorResolver: ResolvePrincipal = async () => OPEN_DOOR;

export function authenticate(resolve: ResolvePrincipal): RequestHandler {
  return async (req, _res, next) => {
    req.principal = await resolve(req.headers);
    next();
  };
}
