import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { createError } from '../errors';

/**
 * True when the request has no Origin (not a browser) or one we trust: the host the request
 * came to (Express's `req.host` honours the trust-proxy setting), or an allow-listed origin.
 */
export function originAllowed(req: IncomingMessage & { host?: string }, allowList: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowList.includes(origin)) return true;
  try {
    return new URL(origin).host === (req.host ?? req.headers.host);
  } catch {
    return false;
  }
}

/**
 * Cookie-authenticated writes from a foreign page are refused (403), on top of the
 * SameSite=Strict cookie: defence in depth against cross-site request forgery. Token callers
 * do not use cookies, so they are not affected.
 */
export function refuseForeignCookieWrites(allowList: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    const write = !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
    const cookieAuth = req.headers.cookie !== undefined && !req.headers.authorization;
    if (write && cookieAuth && !originAllowed(req, allowList)) return next(createError('forbidden', 'Cross-origin request refused', 403));
    next();
  };
}
