import { onScopeDispose, ref } from 'vue';
import { PairingStarted, PairingStatus } from '../../../../shared/auth';
import { readJson } from '../../api';

/** How often a screen showing a code asks whether a lead has claimed it. */
export const PAIRING_POLL_MS = 2_000;
/** Wait before trying again when the server cannot be reached or answers oddly. */
const RETRY_MS = 5_000;

export type PairingPhase = 'starting' | 'showing' | 'rate_limited' | 'unreachable' | 'paired';

export interface Paired {
  siteId: string;
  token: string;
}

/** `Retry-After` in ms (seconds or an HTTP date), within 5 s – 1 h; a minute when missing. */
function retryAfterMs(res: Response): number {
  const raw = res.headers.get('retry-after');
  let ms = 60_000;
  if (raw && /^\d+$/.test(raw.trim())) ms = Number(raw) * 1000;
  else if (raw && Number.isFinite(Date.parse(raw))) ms = Date.parse(raw) - Date.now();
  return Math.min(Math.max(ms, 5_000), 3_600_000);
}

/**
 * The pairing conversation of a wall screen without a token: `POST /api/pairing` gives a code to
 * show and a secret to poll with; `GET /api/pairing/:secret` every 2 s says `waiting` until a lead
 * claims the code, then hands over the token once. An expired code (countdown over, or a 404) is
 * replaced by a fresh one; a 429 waits for `Retry-After`. Stops when the calling scope ends.
 * Plain `fetch` on purpose: the pairing endpoints are open, and a refused old token must not
 * ride along or count as a 401 of the live wall.
 */
export function usePairing(onPaired: (p: Paired) => void) {
  const code = ref<string | null>(null);
  /** Local clock (ms) when the code expires, from the server's time to live (TV clocks drift). */
  const expiresAt = ref<number | null>(null);
  const phase = ref<PairingPhase>('starting');
  /** Local clock (ms) of the next attempt while rate-limited. */
  const retryAt = ref<number | null>(null);
  /** The last poll could not reach the server (the code stays up; polling goes on). */
  const unreachable = ref(false);

  let secret: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const abort = new AbortController();

  function later(step: () => Promise<void>, ms: number): void {
    clearTimeout(timer);
    if (!abort.signal.aborted) timer = setTimeout(() => void step(), ms);
  }

  const request = (path: string, method: 'GET' | 'POST') =>
    fetch(path, { method, headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store', signal: abort.signal });

  async function start(): Promise<void> {
    secret = null;
    let res: Response;
    try {
      res = await request('/api/pairing', 'POST');
    } catch (e) {
      if (abort.signal.aborted) return;
      console.warn('roomwatch: pairing code request failed', e);
      code.value = null;
      phase.value = 'unreachable';
      return later(start, RETRY_MS);
    }
    if (res.status === 429) {
      const wait = retryAfterMs(res);
      code.value = null;
      phase.value = 'rate_limited';
      retryAt.value = Date.now() + wait;
      return later(start, wait);
    }
    const parsed = res.ok ? PairingStarted.safeParse(await readJson(res)) : null;
    if (abort.signal.aborted) return;
    if (!parsed?.success) {
      console.warn('roomwatch: no pairing code', res.status);
      code.value = null;
      phase.value = 'unreachable';
      return later(start, RETRY_MS);
    }
    // Counted down on our clock; a TV clock off by more than the Date header's 1 s precision
    // is corrected by that header, so the countdown still ends when the server drops the code.
    const local = Date.now();
    const serverNow = Date.parse(res.headers.get('date') ?? '');
    const skewed = Number.isFinite(serverNow) && Math.abs(serverNow - local) > 2_000;
    const ttl = Date.parse(parsed.data.expiresAt) - (skewed ? serverNow + 500 : local);
    expiresAt.value = Date.now() + Math.min(Math.max(Number.isFinite(ttl) ? ttl : 0, 10_000), 3_600_000);
    code.value = parsed.data.code;
    secret = parsed.data.secret;
    retryAt.value = null;
    unreachable.value = false;
    phase.value = 'showing';
    later(poll, PAIRING_POLL_MS);
  }

  async function poll(): Promise<void> {
    if (!secret) return;
    if (expiresAt.value !== null && Date.now() >= expiresAt.value) return start();
    let res: Response;
    try {
      res = await request(`/api/pairing/${encodeURIComponent(secret)}`, 'GET');
    } catch (e) {
      if (abort.signal.aborted) return;
      console.warn('roomwatch: pairing status unavailable', e);
      unreachable.value = true;
      return later(poll, PAIRING_POLL_MS);
    }
    // Expired on the server (or already handed over): show a fresh code.
    if (res.status === 404) return start();
    const parsed = res.ok ? PairingStatus.safeParse(await readJson(res)) : null;
    if (abort.signal.aborted) return;
    unreachable.value = !parsed?.success;
    if (parsed?.success && parsed.data.status === 'paired') {
      phase.value = 'paired';
      stop();
      onPaired({ siteId: parsed.data.siteId, token: parsed.data.token });
      return;
    }
    later(poll, PAIRING_POLL_MS);
  }

  function stop(): void {
    abort.abort();
    clearTimeout(timer);
  }

  void start();
  onScopeDispose(stop);

  return { code, expiresAt, phase, retryAt, unreachable };
}
