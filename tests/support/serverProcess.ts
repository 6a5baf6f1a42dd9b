import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './redisServer';

export const PROCESS_ADMIN_PASSWORD = 'process-admin-password';

export interface ServerProcess {
  baseUrl: string;
  port: number;
  /** An admin API key issued through the real sign-in and token endpoints. */
  token: string;
  child: ChildProcess;
  /** SIGTERM (graceful) or SIGKILL, and wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function waitHealthy(baseUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server at ${baseUrl} did not become healthy`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Issues an admin API key by signing in as admin and calling POST /api/tokens. */
export async function issueAdminToken(baseUrl: string, password = PROCESS_ADMIN_PASSWORD): Promise<string> {
  const login = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
  if (!login.ok) throw new Error(`admin login failed: ${login.status}`);
  const cookie = /rw_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0] ?? '';
  const made = await fetch(`${baseUrl}/api/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ kind: 'api', name: 'test process', role: 'admin', sites: '*' }) });
  return ((await made.json()) as { token: string }).token;
}

/** Runs `server/index.ts` as its own process, as in production, on a free (or given) port. */
export async function startServerProcess(env: Record<string, string> = {}, opts: { port?: number; token?: string; nodeArgs?: string[] } = {}): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', 'server/index.ts'], {
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HOST: '127.0.0.1',
      ROOMWATCH_SITES: 'tests/fixtures/sites.test.yaml',
      ROOMWATCH_ADMIN_PASSWORD: PROCESS_ADMIN_PASSWORD,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  // A hang guard, not a speed check: a cold `tsx` start on two busy cores can take half a minute.
  await waitHealthy(baseUrl, 60_000);
  const token = opts.token ?? (await issueAdminToken(baseUrl));
  return {
    baseUrl,
    port,
    token,
    child,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill(signal);
      }),
  };
}
