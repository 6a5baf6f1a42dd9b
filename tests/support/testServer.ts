import { readSitesFile } from '../../server/config';
import { createApp, type App } from '../../server/app';
import { createLogger } from '../../server/logger';
import { seedSites } from '../../server/sites/sites.seed';
import { createStore, type Store } from '../../server/store/redis';
import type { SitesFile } from '../../shared/siteConfig';

export const TEST_SITES_FILE = new URL('../fixtures/sites.test.yaml', import.meta.url).pathname;

export function testSites(path = TEST_SITES_FILE): SitesFile {
  const { sites, problems } = readSitesFile(path);
  if (!sites) throw new Error(problems.join('\n'));
  return sites;
}

export interface TestServer {
  app: App;
  store: Store;
  baseUrl: string;
  port: number;
  /** HTTP as an admin of every site (tests that are not about access control use this). */
  send(method: 'POST' | 'PUT' | 'GET' | 'PATCH' | 'DELETE', path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** Builds the real app exactly as `server/index.ts` does, listening on port 0. */
export async function startTestServer(opts: { redisUrl?: string; sites?: SitesFile; clock?: () => number; clientDist?: string } = {}): Promise<TestServer> {
  const sites = opts.sites ?? testSites();
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const store = await createStore(opts.redisUrl, log);
  await seedSites(store, sites);
  const app = createApp({
    store,
    sites,
    log,
    settings: { eventRetention: 100_000, idempotencyTtlMs: 86_400_000 },
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.clientDist ? { clientDist: opts.clientDist } : {}),
  });
  await new Promise<void>((ok) => app.http.listen(0, '127.0.0.1', ok));
  const addr = app.http.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    app,
    store,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    send: (method, path, body, headers = {}) => send(`http://127.0.0.1:${port}`, method, path, body, headers),
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
