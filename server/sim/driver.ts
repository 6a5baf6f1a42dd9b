import { z } from 'zod';
import { SiteInfo } from '../../shared/api';
import { BoothState } from '../../shared/vocabulary';
import type { Scenario } from './model';
import { Simulation, type SimEvent, type SimSite } from './generator';

export type Method = 'GET' | 'POST' | 'PUT';
/** One HTTP exchange; the default goes over `fetch`, tests pass their own signed-in sender. */
export type Send = (method: Method, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: unknown }>;

/** A sender for `baseUrl`, adding `Authorization: Bearer <token>` when a token is given. */
export function httpSender(baseUrl: string, token?: string): Send {
  return async (method, path, body, headers = {}) => {
    const res = await fetch(baseUrl + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text; // not JSON (a proxy's error page): keep the text for the log
    }
    return { status: res.status, body: parsed };
  };
}

/** The parts of a snapshot the simulator needs (other fields are ignored, not refused). */
const FloorFound = z.object({ booths: z.array(z.object({ id: z.string(), state: BoothState })), queue: z.number().int().min(0) });

export interface DriverOptions {
  send: Send;
  siteId: string;
  seed: number;
  scenario: Scenario;
  /** Simulated minutes per real minute; Infinity sends as fast as replies come. */
  speed: number;
  /** Stop after this many simulated minutes (default: run until aborted). */
  minutes?: number;
  /** Simulated start instant (default: now). */
  start?: number;
  /** The simulated clock the server stamps with (a demo site's): each command is sent once it reaches the command's instant. */
  simNow?: () => number;
  /** Called before each command is sent (tests move the server's clock to the event's instant). */
  beforeSend?: (e: SimEvent) => void;
  /** Keep every accepted command in the report (tests). */
  keepAccepted?: boolean;
  signal?: AbortSignal;
  log?: (msg: string) => void;
  now?: () => number;
}

export interface DriverReport {
  sent: number;
  conflicts: number;
  failures: number;
  byType: Record<string, number>;
  accepted: SimEvent[];
}

/** The request for one simulated command (a close names the incident the server recorded). */
export function requestOf(siteId: string, e: SimEvent, incidentId?: string): { method: Method; path: string; body: unknown } {
  const site = `/api/sites/${encodeURIComponent(siteId)}`;
  switch (e.type) {
    case 'check-in':
      return { method: 'POST', path: `${site}/booths/${encodeURIComponent(e.boothId)}/check-in`, body: e.body };
    case 'check-out':
    case 'cleaned':
      return { method: 'POST', path: `${site}/booths/${encodeURIComponent(e.boothId)}/${e.type}`, body: {} };
    case 'queue-join':
      return { method: 'POST', path: `${site}/queue`, body: { op: 'join' } };
    case 'queue-leave':
      return { method: 'POST', path: `${site}/queue`, body: { op: 'leave' } };
    case 'staffing':
      return { method: 'PUT', path: `${site}/staffing`, body: { onShift: e.onShift } };
    case 'incident':
      return { method: 'POST', path: `${site}/incidents`, body: e.body };
    case 'incident-close':
      return { method: 'POST', path: `${site}/incidents/${encodeURIComponent(incidentId ?? 'unknown')}/close`, body: { outcome: e.outcome } };
    case 'registration':
      return { method: 'POST', path: `${site}/registrations`, body: {} };
  }
}

/** The incident id in a command's reply, if it recorded one. */
const incidentIdOf = (body: unknown): string | undefined => (body as { incident?: { id?: unknown } } | null)?.incident?.id as string | undefined;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((done) => {
    if (signal?.aborted) return done();
    const onAbort = () => {
      clearTimeout(t);
      done();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      done();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Reads the site over the API and refuses anything not marked `demo: true`. */
export async function loadDemoSite(
  send: Send,
  siteId: string,
): Promise<{ site: SimSite; initial: { booths: Record<string, BoothState>; queue: number }; at: number; simulatedClock?: { speed: number } | undefined }> {
  const sites = await send('GET', '/api/sites');
  if (sites.status !== 200) throw new Error(`GET /api/sites answered ${sites.status}: ${JSON.stringify(sites.body)}`);
  const info = z.array(SiteInfo).parse(sites.body).find((s) => s.id === siteId);
  if (!info) throw new Error(`site ${siteId} not found (or not visible to this token)`);
  if (!info.demo) throw new Error(`site ${siteId} is not marked demo: true; simulated traffic only goes into demo sites`);
  const snap = await send('GET', `/api/sites/${encodeURIComponent(siteId)}/snapshot`);
  if (snap.status !== 200) throw new Error(`GET snapshot answered ${snap.status}`);
  const found = FloorFound.parse(snap.body);
  return {
    at: Date.parse(z.object({ at: z.string() }).parse(snap.body).at),
    simulatedClock: info.simulatedClock,
    site: {
      id: info.id,
      timeZone: info.timeZone,
      businessDayStart: info.businessDayStart,
      rooms: info.rooms.map((r) => ({ kind: r.kind, boothIds: r.booths.map((b) => b.id), openingHours: r.openingHours, datedHours: r.datedHours })),
    },
    initial: { booths: Object.fromEntries(found.booths.map((b) => [b.id, b.state])), queue: found.queue },
  };
}

/**
 * Sends simulated commands through the HTTP API one at a time, each with its own
 * Idempotency-Key (a retry after a network error or a 503 can never count twice), and remembers
 * the id the server gave each incident so the generator's later close names it. Used by the
 * simulator below and by tests that drive a day through a running server.
 */
export class SimSender {
  /** The server's id of each incident this run recorded, by the generator's reference. */
  private readonly incidentIds = new Map<number, string>();

  constructor(private readonly o: { send: Send; siteId: string; keyPrefix: string; log?: (msg: string) => void; signal?: AbortSignal | undefined }) {}

  /** Sends event number `i`; the HTTP status (0: never answered), or null when there was nothing to send. */
  async send(e: SimEvent, i: number): Promise<number | null> {
    // An incident whose recording failed has nothing to close.
    if (e.type === 'incident-close' && !this.incidentIds.has(e.ref)) return null;
    const req = requestOf(this.o.siteId, e, e.type === 'incident-close' ? this.incidentIds.get(e.ref) : undefined);
    const key = `${this.o.keyPrefix}-${i}`;
    let status = 0;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const res = await this.o.send(req.method, req.path, req.body, { 'Idempotency-Key': key });
        status = res.status;
        const recorded = incidentIdOf(res.body);
        if (e.type === 'incident' && e.ref !== undefined && recorded) this.incidentIds.set(e.ref, recorded);
      } catch (err) {
        status = 0;
        this.o.log?.(`simulator: ${req.method} ${req.path} failed: ${(err as Error).message}`);
      }
      if (status !== 0 && status !== 503) break;
      await sleep(250 * (attempt + 1), this.o.signal);
    }
    if (status >= 300 && status !== 409) this.o.log?.(`simulator: ${req.method} ${req.path} answered ${status}`);
    return status;
  }
}

/**
 * Drives a demo site through the real HTTP API: the generator decides what happens, this
 * sends it at the simulated pace. A 409 (someone changed the floor by hand) is counted and
 * skipped: the generator does not read replies, so one seed stays one sequence.
 */
export async function runSimulator(o: DriverOptions): Promise<DriverReport> {
  const now = o.now ?? Date.now;
  const { site, initial, at, simulatedClock } = await loadDemoSite(o.send, o.siteId);
  const realStart = now();
  let simNow = o.simNow;
  if (o.speed !== 1 && !o.beforeSend && !simNow) {
    // Faster than real time only where the server stamps in simulated time too: anything else
    // would pile a day's traffic into the real clock's current hour.
    if (simulatedClock?.speed !== o.speed) {
      throw new Error(
        `at ${o.speed}× the traffic would pile into the real hours of ${o.siteId}: run it at --speed 1, or against a server started with --demo (its demo sites run on a simulated clock${simulatedClock ? ` at ${simulatedClock.speed}×` : ''})`,
      );
    }
    simNow = () => at + (now() - realStart) * o.speed;
  }
  const simStart = o.start ?? (simNow ? simNow() : realStart);
  const until = o.minutes === undefined ? Infinity : simStart + o.minutes * 60_000;
  const sim = new Simulation({ site, seed: o.seed, scenario: o.scenario, start: simStart, until, initial });
  const sender = new SimSender({ send: o.send, siteId: o.siteId, keyPrefix: `sim-${o.siteId}-${o.seed}-${simStart}`, log: o.log, signal: o.signal });
  const report: DriverReport = { sent: 0, conflicts: 0, failures: 0, byType: {}, accepted: [] };
  for (let e = sim.next(), i = 0; e && !o.signal?.aborted; e = sim.next(), i++) {
    const due = simNow ? now() + (e.at - simNow()) / o.speed : realStart + (e.at - simStart) / o.speed;
    if (due > now()) await sleep(due - now(), o.signal);
    if (o.signal?.aborted) break;
    o.beforeSend?.(e);
    const status = await sender.send(e, i);
    if (status === null) continue;
    report.sent++;
    if (status >= 200 && status < 300) {
      report.byType[e.type] = (report.byType[e.type] ?? 0) + 1;
      if (o.keepAccepted) report.accepted.push(e);
    } else if (status === 409) report.conflicts++;
    else report.failures++;
  }
  return report;
}
