import type { ErrorBody } from '../shared/api';

export type ErrorCode =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'room_closed'
  | 'idempotency_key_reused'
  | 'request_in_progress'
  | 'precondition_failed'
  | 'payload_too_large'
  | 'rate_limited'
  | 'store_unavailable'
  | 'internal';

/** An error whose code, message and details are safe to show to a client. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** The one error factory: every error a client may see is made here. */
export function createError(code: ErrorCode, message: string, status: number, details?: unknown): AppError {
  return new AppError(code, message, status, details);
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;

export const errors = {
  invalid: (details: unknown, message = 'Invalid input') => createError('invalid_input', message, 400, details),
  notFound: (what: string) => createError('not_found', `${what} not found`, 404),
  conflict: (message: string, current: unknown) => createError('conflict', message, 409, current),
  unavailable: () =>
    createError('store_unavailable', 'The data store is unavailable; nothing was changed. Try again shortly.', 503),
  /** The same Idempotency-Key with a different request (method, path or body). */
  keyReused: () => createError('idempotency_key_reused', 'This Idempotency-Key was already used for a different request', 422),
  /** The change was made but no replica confirmed it in time: it may not survive a failover. */
  notReplicated: () =>
    createError(
      'store_unavailable',
      'The change was not confirmed by a replica in time and may be lost if the primary fails. Retry with the same Idempotency-Key.',
      503,
      { replicated: false },
    ),
};

/** ioredis errors that mean "Redis cannot be reached right now". */
export function isStoreUnavailable(err: unknown): boolean {
  const e = err as { name?: string; message?: string; code?: string };
  return (
    e?.name === 'MaxRetriesPerRequestError' ||
    e?.code === 'ECONNREFUSED' ||
    /enableOfflineQueue|Connection is closed|Stream isn't writeable|ECONNRESET|LOADING/.test(e?.message ?? '')
  );
}

/** Maps anything thrown to a status and a body that leaks nothing internal. */
export function toErrorResponse(err: unknown): { status: number; body: ErrorBody } {
  if (isStoreUnavailable(err)) err = errors.unavailable();
  if (isAppError(err)) {
    const body: ErrorBody = { error: { code: err.code, message: err.message } };
    if (err.details !== undefined) body.error.details = err.details;
    return { status: err.status, body };
  }
  // body-parser errors carry a status and a type; map the ones a client can cause.
  const e = err as { status?: number; type?: string };
  if (e?.type === 'entity.too.large') return { status: 413, body: { error: { code: 'payload_too_large', message: 'Request body too large' } } };
  if (e?.type === 'entity.parse.failed')
    return { status: 400, body: { error: { code: 'invalid_input', message: 'Body is not valid JSON', details: [{ path: '(body)', message: 'malformed JSON' }] } } };
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500)
    return { status: e.status, body: { error: { code: 'invalid_input', message: 'Bad request' } } };
  return { status: 500, body: { error: { code: 'internal', message: 'Internal error' } } };
}
