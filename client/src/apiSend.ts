import { z } from 'zod';
import { readReply, toApiError, type ApiError } from './api';

export type SendMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One field problem from a 400's `details` (the server's `parseOr400` shape). */
export const FieldProblem = z.object({ path: z.string(), message: z.string() });
export type FieldProblem = z.infer<typeof FieldProblem>;

/**
 * Sends JSON (POST/PUT/PATCH/DELETE) with the session cookie and parses the answer with a
 * shared schema; without a schema the body is ignored (204s, `{ok: true}`). Every failure
 * is an `ApiError`; a 401 also tells the session store the sign-in has ended.
 */
export async function sendJson<S extends z.ZodType>(method: SendMethod, path: string, body: unknown, schema: S, headers?: Record<string, string>): Promise<z.output<S>>;
export async function sendJson(method: SendMethod, path: string, body?: unknown): Promise<void>;
export async function sendJson(method: SendMethod, path: string, body?: unknown, schema?: z.ZodType, headers: Record<string, string> = {}): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: { accept: 'application/json', 'content-type': 'application/json', ...headers },
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (e) {
    throw toApiError(e);
  }
  return readReply(res, path, schema);
}

/** The per-field problems of a 400 answer, keyed by the first segment of each path. */
export function serverFieldProblems(e: ApiError): Record<string, string> {
  if (e.status !== 400) return {};
  const details = z.array(FieldProblem).safeParse(e.body.error.details);
  if (!details.success) return {};
  const out: Record<string, string> = {};
  for (const d of details.data) {
    const key = d.path.split('.')[0] ?? d.path;
    out[key] ??= d.message;
  }
  return out;
}
