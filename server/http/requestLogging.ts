import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger';
import { requestId } from './requestId';

const QUIET_PATHS = new Set(['/api/health', '/api/live', '/metrics']);

/**
 * Request ids and access logs. With `info` or more verbose, pino-http logs every request once
 * on completion; at `warn` and above no request is logged, so the per-request child logger is
 * skipped (it cost several per cent of a busy instance) and errors carry the id themselves.
 */
export function requestLogging(log: Logger): RequestHandler {
  const withId: RequestHandler = (req, res, next) => {
    res.setHeader('X-Request-Id', String(req.id));
    next();
  };
  if (!log.isLevelEnabled('info')) {
    return (req, res, next) => {
      req.id = requestId(req);
      req.log = log;
      withId(req, res, next);
    };
  }
  const http = pinoHttp({
    logger: log,
    genReqId: requestId,
    // req.log carries only the request id; the whole request is logged once, on completion.
    quietReqLogger: true,
    autoLogging: { ignore: (req) => QUIET_PATHS.has(req.url ?? '') },
  });
  return (req, res, next) => http(req, res, () => withId(req, res, next));
}
