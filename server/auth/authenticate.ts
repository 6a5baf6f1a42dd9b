import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { parse as parseCookie } from 'cookie';
import type { Principal } from './principal';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export const SESSION_COOKIE = 'rw_session';

/** Credentials a request or a socket handshake carries. */
export interface Credentials {
  sid?: string | undefined;
  bearer?: string | undefined;
}

export type ResolvePrincipal = (creds: Credentials) => Promise<Principal | undefined>;

/** Reads the session cookie and `Authorization: Bearer …` from headers. */
export function credentialsOf(headers: IncomingHttpHeaders, handshakeToken?: unknown): Credentials {
  const auth = headers.authorization;
  const bearer = typeof handshakeToken === 'string' && handshakeToken ? handshakeToken : auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
  const sid = headers.cookie ? parseCookie(headers.cookie)[SESSION_COOKIE] : undefined;
  return { sid, bearer };
}

/** Resolves the caller once per request; routes then ask `authorize()` what it may do. */
export function authenticate(resolve: ResolvePrincipal): RequestHandler {
  return async (req, _res, next) => {
    req.principal = await resolve(credentialsOf(req.headers));
    next();
  };
}
