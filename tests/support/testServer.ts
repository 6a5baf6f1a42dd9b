import { Redis } from 'ioredis';
import { waitFor } from './waitFor';
import { readSitesFile } from '../../server/config';
import { createApp, type App, type AppDeps } from '../../server/app';
import { createLogger } from '../../server/logger';
import { seedSites } from '../../server/sites/sites.seed';
import { createStore, type Store } from '../../server/store/redis';
import type { SitesFile } from '../../shared/siteConfig';
import type { Role } from '../../shared/vocabulary';
import type { PushConfig, SecurityConfig } from '../../server/config';
import type { PushTransport } from '../../server/alerts/push';

export const TEST_SITES_FILE = new URL('../fixtures/sites.test.yaml', import.meta.url).pathname;

export function testSites(path = TEST_SITES_FILE): SitesFile {
  const { sites, problems } = readSitesFile(path);
  if (!sites) throw new Error(problems.join('\n'));
  return sites;
}

export const ADMIN_PASSWORD = 'test-admin-password';

export interface TestServer {
  app: App;
  /** An API key with the admin role on every site. */
  adminToken: string;
  /** Issues a token (api or display) as admin, for access tests and wall screens. */
  token(kind: 'api' | 'display', role: Role, sites: '*' | string[]): Promise<string>;
  store: Store;
  baseUrl: string;
  port: number;
  /** HTTP as an admin of every site (tests that are not about access control use this). */
  send(method: 'POST' | 'PUT' | 'GET' | 'PATCH' | 'DELETE', path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** Builds the real app exactly as `server/index.ts` does, listening on port 0. */
export async function startTestServer(
  opts: {
    redisUrl?: string;
    sites?: SitesFile;
    clock?: () => number;
    clientDist?: string;
    security?: SecurityConfig;
    port?: number;
    push?: PushConfig;
    pushTransport?: PushTransport;
    /** Handover tick period (0: only through `app.handovers.tick()`). */
    handoverTickMs?: number;
    /** ROOMWATCH_REDIS_WAIT_REPLICAS and its time-out, with `redisUrl`. */
    waitReplicas?: { replicas: number; timeoutMs: number };
    /** Test-only fault injection (see `AppDeps.faults`). */
    faults?: AppDeps['faults'];
    frameTiming?: AppDeps['frameTiming'];
    publicPage?: AppDeps['publicPage'];
  } = {},
): Promise<TestServer> {
  const sites = opts.sites ?? testSites();
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const listenersBefore = opts.redisUrl ? await adapterListeners(opts.redisUrl) : 0;
  const store = await createStore(opts.waitReplicas ? { url: opts.redisUrl, waitReplicas: opts.waitReplicas.replicas, waitTimeoutMs: opts.waitReplicas.timeoutMs } : opts.redisUrl, log);
  const effective = await seedSites(store, sites);
  const app = createApp({
    store,
    sites: effective,
    log,
    settings: { eventRetention: 100_000, idempotencyTtlMs: 86_400_000 },
    ...(opts.security ? { security: opts.security } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.handoverTickMs !== undefined ? { handoverTickMs: opts.handoverTickMs } : {}),
    ...(opts.clientDist ? { clientDist: opts.clientDist } : {}),
    ...(opts.push ? { push: opts.push } : {}),
    ...(opts.pushTransport ? { pushTransport: opts.pushTransport } : {}),
    ...(opts.faults ? { faults: opts.faults } : {}),
    ...(opts.frameTiming ? { frameTiming: opts.frameTiming } : {}),
    ...(opts.publicPage ? { publicPage: opts.publicPage } : {}),
  });
  // Changes reach this instance's screens through its live relay: listen before anyone writes.
  await app.ready();
  await app.auth.ensureAdmin(ADMIN_PASSWORD);
  const system = { principal: { kind: 'user' as const, id: 'admin', role: 'admin' as const, sites: '*' as const }, from: 'test' };
  const adminToken = (await app.auth.createToken(system, { kind: 'api', name: 'test admin', role: 'admin', sites: '*' })).token;
  await new Promise<void>((ok) => app.http.listen(opts.port ?? 0, '127.0.0.1', ok));
  const addr = app.http.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  // With Redis, the Socket.IO adapter subscribes in the background: wait until it listens, so a
  // change made through another instance right after this returns is not missed.
  if (opts.redisUrl) await waitFor(async () => (await adapterListeners(opts.redisUrl!)) > listenersBefore, 'the Socket.IO Redis adapter to subscribe');
  return {
    app,
    store,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    adminToken,
    token: async (kind, role, sites) => (await app.auth.createToken(system, { kind, name: `test ${kind} ${role}`, role, sites })).token,
    send: (method, path, body, headers = {}) => send(`http://127.0.0.1:${port}`, method, path, body, { authorization: `Bearer ${adminToken}`, ...headers }),
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

/** POST/PUT JSON and return status + parsed body. */
export async function send(
  baseUrl: string,
  method: 'POST' | 'PUT' | 'GET' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(baseUrl + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed };
}

/**
 * Opens a room early (for two hours of the server's clock) if its hours have it closed now, so a
 * test that checks people in there passes at any time of day (beta's room is 07:30–23:30 New York).
 */
export async function openRoomNow(srv: TestServer, siteId: string, roomId: string): Promise<void> {
  const snap = (await srv.send('GET', `/api/sites/${siteId}/snapshot`)).body as { at: string; rooms: Array<{ id: string; open: boolean }> };
  if (snap.rooms.find((r) => r.id === roomId)?.open !== false) return;
  const until = new Date(Date.parse(snap.at) + 2 * 3_600_000).toISOString();
  const r = await srv.send('POST', `/api/sites/${siteId}/rooms/${roomId}/open`, { until });
  if (r.status !== 200) throw new Error(`could not open ${siteId}/${roomId}: ${r.status} ${JSON.stringify(r.body)}`);
}

/** How many connections to this Redis listen on a pattern (each instance's Socket.IO adapter does). */
async function adapterListeners(redisUrl: string): Promise<number> {
  const r = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const list = String(await r.client('LIST'));
    return list.split('\n').filter((line) => /\bpsub=[1-9]/.test(line)).length;
  } finally {
    r.disconnect();
  }
}
