import type { Request } from 'express';
import type { ZodType } from 'zod';
import { IdempotencyKey } from '../../shared/api';
import { authorize, type Action } from '../auth/policy';
import { errors } from '../errors';

/** One entry of a 400's `details`: which field, and what is wrong with it. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** Parses `input` with a shared schema or throws 400 naming every bad field. */
export function parseOr400<T>(schema: ZodType<T>, input: unknown, where = 'body'): T {
  const r = schema.safeParse(input === undefined ? {} : input);
  if (r.success) return r.data;
  const details: FieldProblem[] = r.error.issues.map((i) => ({
    path: i.path.length ? i.path.map(String).join('.') : `(${where})`,
    message: i.message,
  }));
  const fields = [...new Set(details.map((d) => d.path))].join(', ');
  throw errors.invalid(details, `Invalid ${where}: ${fields}`);
}

/** Reads and checks the `Idempotency-Key` header (absent is allowed). */
export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header)) throw errors.invalid([{ path: 'Idempotency-Key', message: 'send the header once' }], 'Invalid header: Idempotency-Key');
  const r = IdempotencyKey.safeParse(header);
  if (!r.success) throw errors.invalid([{ path: 'Idempotency-Key', message: r.error.issues[0]?.message ?? 'invalid' }], 'Invalid header: Idempotency-Key');
  return r.data;
}

/**
 * The common head of a read route about one site: the caller may do `action` on `:siteId`
 * (else 401/403/404), and the query string parses with `schema` (else 400 naming the fields).
 */
export function authorizedSiteQuery<T>(req: Request, action: Action, schema: ZodType<T>): { siteId: string; query: T } {
  const siteId = String(req.params.siteId);
  authorize(req.principal, action, siteId);
  return { siteId, query: parseOr400(schema, req.query, 'query') };
}
