import { z } from 'zod';
import { ErrorBody, SiteInfo, Snapshot } from '../../shared/api';

/** Codes the client itself produces when there is no server error body to carry. */
export type ClientErrorCode = 'network' | 'bad_response' | 'aborted';

/** Any failed API call: HTTP status (0 when the request never got an answer) and the error body. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.error.message);
  }

  get code(): string {
    return this.body.error.code;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

const clientError = (code: ClientErrorCode, message: string, status = 0): ApiError =>
  new ApiError(status, { error: { code, message } });

/** Turns any thrown value into an ApiError, so callers handle a single type. */
export function toApiError(e: unknown): ApiError {
  if (isApiError(e)) return e;
  if (e instanceof DOMException && e.name === 'AbortError') return clientError('aborted', 'request aborted');
  return clientError('network', e instanceof Error ? e.message : 'request failed');
}

/** The body as JSON, or undefined when it is empty or not JSON. */
export async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

let bearerToken: string | null = null;

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Called on every 401 answer (a session that ended or was revoked); returns an unsubscribe. */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** Tells the listeners a request came back 401 (used by `getJson` and `apiSend`). */
export function reportUnauthorized(): void {
  for (const listener of unauthorizedListeners) listener();
}

/** A token (a wall screen's display token) sent as `Authorization: Bearer` on every API call. */
export function setBearerToken(token: string | null): void {
  bearerToken = token;
}

/**
 * GET a JSON resource and parse it with a shared schema: the client trusts nothing it has not
 * validated, so a server drifting from `shared/` fails loudly here instead of deep in a view.
 */
export async function getJson<S extends z.ZodType>(path: string, schema: S, signal?: AbortSignal): Promise<z.output<S>> {
  let res: Response;
  try {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (bearerToken) headers.authorization = `Bearer ${bearerToken}`;
    res = await fetch(path, { headers, credentials: 'same-origin', signal });
  } catch (e) {
    throw toApiError(e);
  }
  return (await readReply(res, path, schema)) as z.output<S>;
}

/**
 * Turns an answer into the parsed body or an `ApiError` (a 401 also tells the listeners), for
 * every request helper, so errors look the same whatever the method.
 */
export async function readReply<S extends z.ZodType>(res: Response, path: string, schema: S | undefined): Promise<z.output<S> | undefined> {
  const json = await readJson(res);
  if (!res.ok) {
    if (res.status === 401) reportUnauthorized();
    const body = ErrorBody.safeParse(json);
    throw body.success ? new ApiError(res.status, body.data) : clientError('bad_response', `HTTP ${res.status}`, res.status);
  }
  if (!schema) return undefined;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError(res.status, {
      error: { code: 'bad_response', message: `unexpected response from ${path}`, details: z.treeifyError(parsed.error) },
    });
  }
  return parsed.data;
}

const site = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}`;

/** The HTTP endpoints the client reads. */
export const api = {
  sites: (signal?: AbortSignal) => getJson('/api/sites', z.array(SiteInfo), signal),
  snapshot: (siteId: string, signal?: AbortSignal) => getJson(`${site(siteId)}/snapshot`, Snapshot, signal),
};
