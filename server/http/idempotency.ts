import { hash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Redis } from 'ioredis';
import { createError, errors } from '../errors';
import { routePatternOf, setRoutePattern } from '../ops/metrics';
import { beforeReply } from './replyHooks';
import { idempotencyKeyOf } from './validate';

/** The methods that change something; each honours `Idempotency-Key`. */
export const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** How long a first request may take before a retry with its key is allowed to run it again. */
const PENDING_MS = 60_000;
const SEP = '\x1e';

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` are the same request. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * What makes two requests "the same" for an Idempotency-Key: a hash of their parts. The floor's
 * Lua script (`command.lua`) and the middleware below both compare it, so a key reused for a
 * different request answers 422 everywhere.
 */
export function requestFingerprint(parts: unknown[]): string {
  return hash('sha256', canonical(parts), 'base64url');
}

/** Whose key it is: one caller's keys never answer another caller's requests. */
function scopeOf(req: Request): string {
  const p = req.principal;
  return p ? `${p.kind}:${p.id}` : `anon:${req.ip ?? ''}`;
}

const recordKey = (scope: string, key: string) => `rw:{idem}:${scope}:${key}`;

/** Replies worth remembering: answers about the request itself, not "try again later". */
const remembered = (status: number) => status < 500 && status !== 429 && status !== 408;

function replay(res: Response, status: number, contentType: string, body: string): void {
  res.setHeader('Idempotent-Replayed', 'true');
  if (contentType) res.type(contentType);
  res.status(status).send(body === '' ? undefined : body);
}

/**
 * `Idempotency-Key` for every write route mounted after it: the first reply (2xx or 4xx) is
 * stored for `ttlMs` under the caller and the key; a repeat with the same method, path and body
 * gets that reply again (header `Idempotent-Replayed: true`) and changes nothing; a different
 * request with the same key gets 422; a repeat while the first is still running gets 409.
 * 5xx and 429 replies are not stored, so a retry runs the request again.
 *
 * The floor's commands do the same inside their Lua script, atomically with the change itself,
 * and are mounted before this middleware.
 */
export function idempotentWrites(d: { redis: Redis; ttlMs: number }): RequestHandler {
  return async (req, res, next) => {
    if (!WRITE_METHODS.has(req.method)) return next();
    const key = idempotencyKeyOf(req.headers['idempotency-key']);
    if (!key) return next();
    const k = recordKey(scopeOf(req), key);
    const fingerprint = requestFingerprint([req.method, req.originalUrl, req.body ?? null]);
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await d.redis.set(k, `pending${SEP}${fingerprint}`, 'PX', PENDING_MS, 'NX')) {
        beforeReply(res, 'record', async (reply) => {
          if (!remembered(reply.status)) {
            await d.redis.del(k);
            return;
          }
          const body = typeof reply.body === 'string' ? reply.body : reply.body === undefined ? '' : JSON.stringify(reply.body);
          const type = String(res.getHeader('Content-Type') ?? '');
          await d.redis.set(k, ['done', fingerprint, reply.status, type, routePatternOf(req), body].join(SEP), 'PX', d.ttlMs);
        });
        return next();
      }
      const stored = await d.redis.get(k);
      if (stored === null) continue; // expired between the two calls: claim it again
      const [state, storedPrint, status, type, route, ...body] = stored.split(SEP);
      if (storedPrint !== fingerprint) throw errors.keyReused();
      if (state === 'pending') {
        res.setHeader('Retry-After', '1');
        throw createError('request_in_progress', 'A request with this Idempotency-Key is still being processed; retry shortly', 409);
      }
      if (route) setRoutePattern(req, route); // the replay counts under the route's own metrics label
      return replay(res, Number(status), type ?? '', body.join(SEP));
    }
    throw errors.unavailable();
  };
}

/**
 * With `ROOMWATCH_REDIS_WAIT_REPLICAS`, no write is acknowledged before a replica has it. When
 * none confirms in time the reply becomes 503: the change (and its stored reply) may exist, so a
 * retry with the same Idempotency-Key returns the stored result once a replica has it.
 */
export function awaitReplicas(acks: { confirm(): Promise<boolean> } | null): RequestHandler {
  return (req, res, next) => {
    if (acks && WRITE_METHODS.has(req.method)) {
      beforeReply(res, 'confirm', async (reply) => {
        if (reply.status >= 500 || (await acks.confirm())) return;
        res.removeHeader('Set-Cookie');
        res.removeHeader('Idempotent-Replayed');
        res.type('application/json');
        const err = errors.notReplicated();
        return { status: err.status, body: JSON.stringify({ error: { code: err.code, message: err.message, details: err.details } }) };
      });
    }
    next();
  };
}
